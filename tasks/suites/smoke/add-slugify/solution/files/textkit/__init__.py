from .case import snake_case, title_case
from .slug import slugify
from .wrap import wrap

__all__ = ["slugify", "snake_case", "title_case", "wrap"]
