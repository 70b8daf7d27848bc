"""The facts, floor 0: tables and columns, status vocabularies, kinds of places, every sentence in both languages.

Nothing here reads a file or a database; every floor above reads these.
"""

from geo.domain.kinds import (
                              FIGURES_OF_ALL,
                              Figure,
                              Kind,
                              figures,
                              kind,
                              of_report,
                              register,
                              registered,
                              reporting_kinds,
                              unregister,
                              wall_kinds,
                              wall_views,
)
from geo.domain.labels import CATALOGUE, LABELS, listing, t
from geo.domain.messages import MESSAGES
from geo.domain.per_value import apply_distinct, map_distinct, member_of, text_set
from geo.domain.phones import phone_number
from geo.domain.problems import POSITION, Problem, ProblemGroup, group_problems, ranges
from geo.domain.schema import GEOMETRY_TABLES, STATUS_TABLES, TABLES, Column, Table, layer_tables, report_tables
from geo.domain.text import Bilingual, Text, join
from geo.domain.vocab import MISSING, VOCABULARIES, Term, codes

__all__ = ["Bilingual", "CATALOGUE", "Column", "FIGURES_OF_ALL", "Figure", "GEOMETRY_TABLES", "Kind", "LABELS",
           "MESSAGES", "MISSING", "POSITION", "Problem", "ProblemGroup", "STATUS_TABLES", "TABLES", "Table", "Term", "Text",
           "VOCABULARIES", "apply_distinct", "codes", "figures", "group_problems", "join", "kind", "layer_tables",
           "listing", "map_distinct", "member_of", "of_report", "text_set", "phone_number", "ranges", "register", "registered", "report_tables",
           "reporting_kinds", "t", "unregister", "wall_kinds", "wall_views"]
