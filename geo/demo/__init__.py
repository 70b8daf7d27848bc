"""The seeded demo city: Xian'an district (咸安区) of Xianning, in February 2020.

:func:`write_city` (:mod:`geo.demo.city`) writes every layer and status table into one
folder from a seed and the real inputs of :mod:`geo.demo.sources`; the other modules
each do one job of it: geometry (:mod:`~geo.demo.places`), invented names and numbers
(:mod:`~geo.demo.names`), the layers of places (:mod:`~geo.demo.layers`), the daily
reports (:mod:`~geo.demo.reports`) and files with stable bytes (:mod:`~geo.demo.files`).
"""

from geo.demo.city import write_city
from geo.demo.layers import count_sites
from geo.demo.sources import SOURCE_DIR, copy_sources, read_boundary, read_townships

__all__ = ["SOURCE_DIR", "copy_sources", "count_sites", "read_boundary", "read_townships", "write_city"]
