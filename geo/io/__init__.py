"""Files in and out, floor 1: reading and checking tables and layers, datums, templates, exports, photos."""

from geo.io.datum_convert import CHINA, bd09_to_wgs84, convert_geometries, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02
from geo.io.datum_guess import (
                                  DATUMS,
                                  check_coordinates,
                                  declared_datum,
                                  guess_datum,
                                  metres_between,
                                  parse_datum,
                                  resolve_datum,
                                  to_wgs84,
)
from geo.io.export import table_bytes, to_csv_bytes, to_geojson_bytes, to_xlsx_bytes
from geo.io.photos import MAX_PIXELS, Photo, PhotoRefused, photos_fit, read_photo
from geo.io.points import (
                            COORDINATES,
                            Columns,
                            guess_columns,
                            has_coordinates,
                            id_context,
                            is_table,
                            layer_with_ids,
                            list_with_ids,
                            make_ids,
                            make_layer_ids,
                            parse_degrees,
                            parse_position,
                            read_places,
                            repeated_places,
                            role_text,
                            roles,
)
from geo.io.read import (
                         FEATURE_ID_FIELDS,
                         MAX_ROWS,
                         Reading,
                         decode,
                         parse_dates,
                         parse_numbers,
                         raw_rows,
                         read_layer,
                         read_table,
)
from geo.io.shapes import AREA_TOLERANCE, Shape, feature_shape, shape_notices
from geo.io.templates import template_bytes
from geo.io.tilefile import TileFile, TileFileError, cached_tile_file, open_tile_file, read_tile
from geo.io.validate import validate

__all__ = ["MAX_ROWS", "raw_rows", "AREA_TOLERANCE", "FEATURE_ID_FIELDS", "Shape", "feature_shape", "shape_notices",
           "CHINA", "COORDINATES", "Columns", "DATUMS", "guess_columns", "has_coordinates", "is_table", "layer_with_ids", "list_with_ids", "id_context", "make_ids", "make_layer_ids", "repeated_places", "metres_between",
           "parse_degrees", "parse_position", "read_places", "role_text", "roles", "Reading", "bd09_to_wgs84", "check_coordinates", "convert_geometries",
           "declared_datum", "decode", "gcj02_to_wgs84", "guess_datum", "parse_dates", "parse_datum",
           "parse_numbers", "read_layer", "read_table", "resolve_datum", "table_bytes", "template_bytes",
           "MAX_PIXELS", "Photo", "PhotoRefused", "photos_fit", "read_photo",
           "TileFile", "TileFileError", "cached_tile_file", "open_tile_file", "read_tile",
           "to_csv_bytes", "to_geojson_bytes", "to_wgs84", "to_xlsx_bytes", "validate", "wgs84_to_bd09", "wgs84_to_gcj02"]
