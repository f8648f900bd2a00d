"""credscore: how well is each claim of a news article sourced?"""

from .errors import CredscoreError, InputError, ModelError, RulesError
from .records import Article, ArticleReport
from .scorer import Pipeline, score_text

__all__ = ["Article", "ArticleReport", "CredscoreError", "InputError", "ModelError",
           "Pipeline", "RulesError", "score_text"]
__version__ = "0.1.0"
