"""Reports, floor 4: the morning briefing (疫情防控工作日报) as Word and PDF, its map figures drawn on the server."""

from geo.report.briefing import Briefing, BriefingRefused, Section, build_briefing, district_label
from geo.report.documents import WRITERS, briefing_docx, briefing_file, briefing_pdf
from geo.report.figures import status_map
from geo.report.fonts import CjkFont, FontMissing, find_cjk_font
from geo.report.schedule import BriefingSchedule, Kept, kept_briefings, start_schedule, write_scheduled

__all__ = ["WRITERS", "Briefing", "BriefingRefused", "CjkFont", "FontMissing", "Section", "briefing_docx", "briefing_file", "briefing_pdf",
           "build_briefing", "district_label", "find_cjk_font", "status_map",
           "BriefingSchedule", "Kept", "kept_briefings", "start_schedule", "write_scheduled"]
