from .. import config as config
from .. import types as types
from . import errors as errors

__all__ = ["config", "errors", "types"]
