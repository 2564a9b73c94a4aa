from .case import snake_case, title_case
from .wrap import wrap

__all__ = ["snake_case", "title_case", "wrap"]
