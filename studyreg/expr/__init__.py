"""A small safe expression language and prompt templates over named numbers.

Pure standard library; knows nothing of the rest of studyreg. Nothing here runs code
from its input: expressions are parsed into a checked tree and walked.
"""

from studyreg.expr.errors import ExpressionError, TemplateError
from studyreg.expr.parser import Expression, parse_expression
from studyreg.expr.template import Template, parse_template

__all__ = [
    "Expression",
    "ExpressionError",
    "Template",
    "TemplateError",
    "parse_expression",
    "parse_template",
]
