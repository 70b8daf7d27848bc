"""What readers, validators, datum guessing, uploads, the store and the command line say, in both languages.

Part of the one catalogue looked up with :func:`geo.domain.labels.t`; keys start
with their topic: ``read_`` (reading a table or layer), ``rule_`` (row rules),
``datum_`` (coordinates and datums), ``check_`` (an upload's dry run), ``version_``
(the store's versions), ``cli_`` (the command line), ``briefing_`` (the morning briefing), ``photo_``
(a photo refused), ``setting_`` (a setting refused at start)
and ``server_`` (what the web server answers before the app runs).

Examples
--------
>>> MESSAGES["read_empty"]
('文件是空的。', 'The file is empty.')
"""

from __future__ import annotations

# A layer's coordinates refused as a whole: what is wrong, said of all features or of some of them
_ALL_FEATURES = ("", "All features")
_SOME_FEATURES = ("共 {total} 个要素中有 {count} 个的", "{count} of {total} features")
_METRES = ("坐标（如 {sample}）不是经纬度，看起来是以米为单位的投影坐标"
           "（如 EPSG:3857 或 CGCS2000 高斯投影）。请在 GIS 软件中导出为经纬度（WGS-84，EPSG:4326）后再上传。",
           ": coordinates such as {sample} are not longitude/latitude; "
           "they look like projected coordinates in metres (e.g. EPSG:3857 or a CGCS2000 Gauss-Krüger zone). "
           "Export the layer as longitude/latitude (WGS-84, EPSG:4326) and upload it again.")
_ABSURD = ("坐标（如 {sample}）超出了任何坐标系的范围，是填错或导出出错的数字。经纬度应为经度 73 到 135、纬度 18 到 54"
           "（中国境内）。请改正后再上传。",
           ": coordinates such as {sample} are beyond any coordinate system: a typing or export error. "
           "Longitude/latitude in China are 73 to 135 and 18 to 54. Correct them and upload again.")
_SWAPPED = ("经度和纬度顺序颠倒了（如 {sample}）。应经度在前、纬度在后，"
            "如 114.32, 29.84。请导出时把经度（X）放在前面，或交换两列后再上传。",
            ": latitude and longitude are swapped (such as {sample}). Longitude "
            "comes first, like 114.32, 29.84: export with longitude as X, or swap the two, and upload again.")
_OUTSIDE = ("坐标（如 {sample}）不在中国境内，不可能是本市的数据。"
            "请检查坐标是否填错或漏填（0, 0 表示没有坐标），改正后再上传。",
            ": coordinates such as {sample} are outside China, so they cannot be "
            "this city's data. Check for wrong or missing coordinates (0, 0 means none), correct them "
            "and upload again.")


def _said_of(which: tuple[str, str], what: tuple[str, str]) -> tuple[str, str]:
    return which[0] + what[0], which[1] + what[1]


MESSAGES: dict[str, tuple[str, str]] = {
    "list_separator": ("、", ", "),
    "evidence_separator": ("；", "; "),
    "sentence_separator": ("；", "; "),
    # reading a table (geo.io.read.read_table)
    "read_zip_bomb": ("解压后过大（疑似压缩炸弹）", "far too large once unzipped (a zip bomb?)"),
    "read_binary": ("这不是文本表格（含二进制内容）", "not a text table (binary content)"),
    "read_mixed_encoding": ("第 {line} 行起混用了另一种编码（UTF-8 与 GBK 混在一个文件里）",
                            "line {line} is in another encoding than the rest (UTF-8 and GBK mixed)"),
    "read_too_many_features": ("超过 {rows:,} 个要素", "more than {rows:,} features"),
    "read_too_many_rows": ("超过 {rows:,} 行", "more than {rows:,} rows"),
    "read_too_large": ("文件太大：{detail}。请拆分成几个文件分别上传。",
                       "The file is too large: {detail}. Split it into several files."),
    "read_unreadable_table": ("无法读取为表格：{detail}。请另存为 CSV（UTF-8 或 GBK）或 .xlsx 后重试。",
                              "Cannot be read as a table: {detail}. Save it as CSV or .xlsx and try again."),
    "read_empty": ("文件是空的。", "The file is empty."),
    "read_title_rows": ("表头在第 {row} 行，上方的标题行已忽略。", "Headers are on row {row}; title rows above ignored."),
    "read_blank_rows": ("忽略了 {count} 个空行。", "{count} blank rows ignored."),
    "read_totals_row": ("第 {row} 行是合计行，已忽略。", "Row {row} is a totals row; ignored."),
    "edit_not_a_layer": ("“{kind}”不是一类场所，无法在地图上修改。", "'{kind}' is not a kind of place that can be edited."),
    "edit_no_such_place": ("{table}中没有编号为 {place} 的场所（可能已被停用或修改），请刷新后重选。",
                           "There is no place {place} among the {table} (it may have been retired or changed): "
                           "reload and choose again."),
    "edit_not_a_position": ("“{value}”不是一个位置。请点地图，或输入“经度,纬度”，如 114.32,29.85。",
                            "'{value}' is not a position. Click the map, or type 'longitude,latitude', "
                            "e.g. 114.32,29.85."),
    "edit_outside_china": ("位置（经度 {lon}，纬度 {lat}）不在中国境内，请检查经纬度是否写反或写错。",
                           "The position (longitude {lon}, latitude {lat}) is not in China: check that the "
                           "coordinates are not swapped or mistyped."),
    "edit_has_outline": ("{place}有轮廓（面），不能点地图移动。请上传新的轮廓文件修改它的范围。",
                         "{place} has an outline: it cannot be moved by a click. Upload a new outline to change it."),
    "edit_not_points": ("{table}只能是面，不能点地图定位：请上传形状文件（GeoJSON）。",
                        "The {table} are outlines only and cannot be placed by a click: upload their shapes "
                        "(GeoJSON)."),
    "edit_far_move": ("新位置距原位置 {km} 公里，超过 {limit} 公里：请确认不是点错了地方。",
                      "The new position is {km} km from the old one, more than {limit} km: confirm it is not a "
                      "slip of the hand."),
    "edit_far_from_city": ("新位置离本市所有其他场所都超过 {km} 公里：请确认没有点到别的城市或坐标系不对。",
                           "The new position is more than {km} km from every other place of the city: confirm it "
                           "is not in another town and the datum is right."),
    "edit_outside_zone": ("新位置不在它所属的片区“{zone}”范围内：请确认位置，或在名单中改正它的所属片区。",
                          "The new position is outside its zone '{zone}': confirm the position, or correct its "
                          "zone in the list."),
    "edit_same_place": ("{place}已在这个位置，没有修改。", "{place} is already there: nothing changed."),
    "edit_confirm_first": ("请先确认上面的提示，再保存。", "Confirm the warnings above before saving."),
    "edit_name_blank": ("名称不能为空。", "The name cannot be blank."),
    "edit_name_too_long": ("名称最多 {limit} 个字符，且不能含控制字符。",
                           "A name has at most {limit} characters and no control characters."),
    "edit_name_refused": ("未改名：{why}", "Not renamed: {why}"),
    "edit_same_name": ("新名称与现在的相同，没有修改。", "The new name is the current one: nothing changed."),
    "edit_summary_placed": ("定位 {place}：经度 {lon}，纬度 {lat}", "Placed {place} at longitude {lon}, latitude {lat}"),
    "edit_summary_moved": ("移动 {place} {metres} 米：到经度 {lon}，纬度 {lat}",
                           "Moved {place} by {metres} m to longitude {lon}, latitude {lat}"),
    "edit_summary_renamed": ("改名：{before} → {after}", "Renamed: {before} → {after}"),
    "edit_summary_retired": ("停用 {place}", "Retired {place}"),
    "read_rows_not_filled": ("{count} 行只有场所，没有填写任何内容（第 {rows} 行），视为尚未报告，未导入。",
                             "{count} rows name a place and nothing else (rows {rows}): not reported yet, left out."),
    "read_ids_by_name": ("{count} 行没有填编号，按名称找到对应场所。", "{count} rows have no id: found by their name."),
    "read_word_as": ("“{word}”→{state}（{count} 行）", "'{word}' → {state} ({count} rows)"),
    "read_words_read": ("“{column}”列按以下写法识别：{words}。", "Column '{column}' was read as: {words}."),
    "read_places_by_name": ("表中没有编号列，按“{header}”一列的名称找到各场所。",
                            "The table has no id column: each place is found by its name in '{header}'."),
    "read_missing_column": ("缺少必填列“{column}”。请按模板在表头加上此列（也可写作：{aliases}）。",
                            "Required column '{column}' is missing. Add it to the header row as in the template."),
    "read_unknown_columns": ("以下列不在模板中，已忽略：{columns}。", "Columns not in the template were ignored: {columns}."),
    "read_expected_date": ("日期，如 2020-02-25、2020/2/25 或 2月25日", "a date such as 2020-02-25"),
    "read_expected_int": ("整数", "a whole number"),
    "read_expected_float": ("数字", "a number"),
    "read_not_understood": ("“{value}”无法识别，应为{expected}。", "'{value}' is not understood; expected {expected}."),
    "read_not_understood_group": ("列“{column}”有 {count:,} 个值无法识别：第 {rows} 行",
                                  "{count:,} values of column '{column}' are not understood: rows {rows}"),
    "read_row_too_wide": ("这一行比表头多出 {extra} 格，值可能错了位：数字中的逗号（如 1,200）会把一格分成两格。"
                          "请去掉数字中的逗号，或给这一格加上引号，再上传。",
                          "This row has {extra} more cells than the header, so its values may have slid along: a "
                          "comma in a number (1,200) splits one cell in two. Remove the commas from numbers, or "
                          "quote the cell, and upload again."),
    "read_too_long": ("内容过长（{length} 个字符，最多 {limit}），请删减后重试。",
                      "Too long ({length} characters, at most {limit}); shorten it."),
    "read_scientific_id": ("编号 {value} 是科学计数法：Excel 把长编号当成了数字，后几位已丢失。"
                           "请把该列设为“文本”格式、重新输入编号后再上传。",
                           "Id {value} is in scientific notation: Excel took a long id for a number and lost "
                           "its last digits. Format the column as text, type the ids again and upload."),
    # reading a layer (geo.io.read.read_layer)
    "read_not_collection": ("无法读取地图图层：文件是 JSON，但不是 GeoJSON 要素集合（FeatureCollection）。请从 GIS 软件或"
                            "数据平台导出 GeoJSON 后上传。",
                            "Cannot read the map layer: the file is JSON but not a GeoJSON FeatureCollection. Export "
                            "GeoJSON from the GIS software or data platform and upload that."),
    "read_not_json": ("无法读取地图图层：文件在第 {line} 行起不是 GeoJSON 文本（表格 CSV、Excel 不能作为图层上传）。"
                      "地图图层请上传 GeoJSON 文件；各类日报可上传 CSV 或 Excel。",
                      "Cannot read the map layer: from line {line} the file is not GeoJSON text (a CSV or Excel table "
                      "cannot be uploaded as a layer). Upload map layers as GeoJSON; daily reports may be CSV or "
                      "Excel."),
    "read_unreadable_layer": ("无法读取地图图层：{detail}。请检查文件是否为 GeoJSON。",
                              "Cannot read the map layer: {detail}. Check that it is GeoJSON."),
    "read_feature_no_id": ("第 {number} 个要素没有编号（id），而其他要素有：请补上它的编号后再上传。",
                           "Feature {number} has no id while the others have one: add its id and upload again."),
    "read_feature_no_id_group": ("{count:,} 个要素缺少编号：第 {rows} 个",
                                 "{count:,} features have no id: features {rows}"),
    "read_no_ids": ("文件中的要素都没有编号（{column}）。文件有这些字段：{fields}。请把作编号的那一列改名为 id"
                    "（或“{column}”）后再上传。",
                    "No feature of the file has an id ({column}). The file's fields are: {fields}. Rename the column "
                    "that identifies the places to id (or '{column}') and upload again."),
    "read_no_fields": ("（没有任何字段）", "(none at all)"),
    "read_ids_from": ("{count:,} 个要素没有“{column}”，编号取自文件自带的{field}。",
                      "{count:,} features have no '{column}': their ids are the file's own {field}."),
    "read_id_of_feature": ("要素 id（GeoJSON Feature 的 id）", "Feature id (the GeoJSON Feature's id)"),
    "read_duplicate_id": ("第 {number} 个要素的编号 {key} 与第 {first} 个要素重复：编号必须唯一，整个文件不会导入。"
                          "请改成不重复的编号后再上传。",
                          "Feature {number} repeats the id {key} of feature {first}: ids must be unique, so the file "
                          "is not imported. Give it an id of its own and upload again."),
    "read_duplicate_id_group": ("{count:,} 个要素的编号与前面的要素重复：第 {rows} 个",
                                "{count:,} features repeat an earlier feature's id: features {rows}"),
    # shapes of a layer's features (geo.io.shapes): what is repaired, and why a feature is skipped
    "shape_repaired": ("已修复 {count:,} 个{why}的图形，面积不变：第 {rows} 个要素。",
                       "Repaired {count:,} shape(s) ({why}), their area kept: feature(s) {rows}."),
    "shape_skipped": ("将跳过 {count:,} 个要素（{reasons}），其余 {rest:,} 个照常导入。",
                      "{count:,} features will be skipped ({reasons}); the other {rest:,} are imported as usual."),
    "replace_keeps_skipped": ("整层替换：图形无法读取而跳过的要素中，{count:,} 个是已有场所（{places}），保留原有图形和信息，不停用。",
                              "Replacing the whole layer: {count:,} of the features skipped for their shapes are "
                              "places already stored ({places}); they keep their stored shapes and details and are "
                              "not retired."),
    "shape_skipped_ids": ("跳过的要素中有编号的 {count:,} 个：{ids}。请在 GIS 软件中按编号找到它们改正后再上传。",
                          "{count:,} of the features skipped have ids: {ids}. Find them by their ids in your GIS, "
                          "correct them and upload again."),
    "read_all_skipped": ("文件中没有可以导入的图形（共 {count:,} 个要素：{reasons}）。请核对这些图形后重新导出。",
                         "The file has no shape that can be imported ({count:,} features: {reasons}). Check them "
                         "and export again."),
    "shape_skipped_reason": ("{why}：第 {rows} 个", "{why}: features {rows}"),
    "shape_reason_separator": ("；", "; "),
    "shape_fix_crossing": ("自相交", "self-intersection"),
    "shape_fix_not_closed": ("环未闭合", "ring not closed"),
    "shape_fix_degenerate_part": ("带有围不成面的碎片（已去掉）", "parts enclosing no area, removed"),
    "shape_fix_hole_outside": ("内环越出外环", "hole outside its outline"),
    "shape_fix_overlap": ("各部分互相重叠或共边", "parts overlapping or sharing an edge"),
    "shape_fix_collection": ("几何集合中混有线或点（保留了其中的面）", "lines or points among the polygons, polygons kept"),
    "shape_fix_collection_points": ("几何集合中混有线或面（保留了其中的点）", "lines or polygons among the points, points kept"),
    "shape_fix_invalid": ("无效", "invalid"),
    "shape_no_geometry": ("没有几何图形", "no geometry"),
    "shape_empty": ("几何图形是空的", "empty geometry"),
    "shape_not_numbers": ("坐标不是数字", "coordinates that are not numbers"),
    "shape_out_of_range": ("坐标超出任何坐标系的范围（如 1e308），是填错或导出出错的数字",
                           "coordinates beyond any coordinate system (such as 1e308): a typing or export error"),
    "shape_unreadable": ("几何图形无法识别", "a geometry that cannot be read"),
    "shape_too_few_points": ("少于三个不同的点，围不成面", "fewer than three distinct points, enclosing nothing"),
    "shape_zero_area": ("面积为零", "zero area"),
    "shape_crossing": ("边界交叉成 8 字形，修复会改变面积，请核对顶点顺序",
                       "outline crossing itself (a figure of eight), a repair would change its area: check the order "
                       "of its points"),
    "shape_unrepairable": ("图形无效，修复会改变面积，请核对", "invalid shape whose repair would change its area: check it"),
    # problems listed as groups (geo.domain.problems)
    "problem_row": ("第 {row} 行", "row {row}"),
    "problem_feature": ("第 {row} 个要素", "feature {row}"),
    "problem_column": ("列“{column}”", "column '{column}'"),
    "problem_whole_file": ("整个文件", "the whole file"),
    "problems_group_rows": ("{count:,} 行有同样的问题：第 {rows} 行", "{count:,} rows have the same problem: rows {rows}"),
    "problems_group_features": ("{count:,} 个要素有同样的问题：第 {rows} 个",
                                "{count:,} features have the same problem: features {rows}"),
    "problems_group_file": ("同样的问题出现 {count:,} 次", "The same problem {count:,} times"),
    # row rules (geo.io.validate)
    "rule_not_nullable": ("“{header}”不能为空，请填写。", "'{header}' must not be empty."),
    "rule_not_nullable_group": ("{count:,} 行的“{column}”是空的：第 {rows} 行", "{count:,} rows have an empty '{column}': rows {rows}"),
    "rule_not_negative": ("“{header}”不能是负数（现为 {value}）。", "'{header}' cannot be negative ({value})."),
    "rule_not_absurd": ("“{header}”为 {value}，超出合理范围（不超过 {maximum:g}），请核对后重填。",
                        "'{header}' is {value}, beyond a plausible {maximum:g}; check and correct it."),
    "rule_not_future": ("日期 {value} 在未来，请核对。", "The date {value} is in the future; check it."),
    "rule_not_too_old": ("日期 {value} 早于 2000 年，请核对。", "The date {value} is before 2000; check it."),
    "rule_multiple_fields_uniqueness": ("同一场所同一日期出现多次（{key}），只能保留一行：请删除重复行。",
                                        "The same place and date appear more than once ({key}); keep one row."),
    "rule_other": ("“{header}”不符合要求（{check}）。", "'{header}' fails the check {check}."),
    # coordinates and datums (geo.io.datum_guess)
    "datum_wgs84": ("WGS-84（GPS、天地图、CGCS2000）", "WGS-84 (GPS, Tianditu, CGCS2000)"),
    "datum_gcj02": ("GCJ-02（高德、腾讯）", "GCJ-02 (Amap, Tencent)"),
    "datum_bd09": ("BD-09（百度）", "BD-09 (Baidu)"),
    "datum_all_metres": _said_of(_ALL_FEATURES, _METRES),
    "datum_some_metres": _said_of(_SOME_FEATURES, _METRES),
    "datum_all_absurd": _said_of(_ALL_FEATURES, _ABSURD),
    "datum_some_absurd": _said_of(_SOME_FEATURES, _ABSURD),
    "datum_all_swapped": _said_of(_ALL_FEATURES, _SWAPPED),
    "datum_some_swapped": _said_of(_SOME_FEATURES, _SWAPPED),
    "datum_all_outside": _said_of(_ALL_FEATURES, _OUTSIDE),
    "datum_some_outside": _said_of(_SOME_FEATURES, _OUTSIDE),
    # how a per-place problem names the place after its row: its id, or its name when the ids were made
    "problem_place_id": ("（编号 {key}）", " (id {key})"),
    "problem_place_name": ("（{name}）", " (“{name}”)"),
    "datum_feature_metres": ("{where}{id}的坐标（{sample}）不是经纬度，请改为经纬度（WGS-84）后再上传。",
                             "At {where}{id}, the coordinates ({sample}) are not longitude/latitude; "
                             "correct them to WGS-84 longitude/latitude and upload again."),
    "datum_feature_absurd": ("{where}{id}的坐标（{sample}）超出了任何坐标系的范围，请检查是否填错。",
                             "At {where}{id}, the coordinates ({sample}) are beyond any coordinate system; check them."),
    "datum_feature_swapped": ("{where}{id}的经度和纬度顺序颠倒了（{sample}），请交换为经度在前、纬度在后。",
                              "At {where}{id}, latitude and longitude are swapped ({sample}); put longitude first."),
    "datum_feature_outside": ("{where}{id}的坐标（{sample}）不在中国境内，请检查是否填错或漏填。",
                              "At {where}{id}, the coordinates ({sample}) are outside China; check them."),
    "datum_more_features": ("另有 {count} 个要素有同样的问题（{first}），请一并改正。",
                            "{count} more features have the same problem ({first}); correct them too."),
    "datum_kind_metres": ("坐标不是经纬度", "not longitude/latitude"),
    "datum_kind_absurd": ("坐标超出范围", "coordinates out of range"),
    "datum_kind_swapped": ("经纬度颠倒", "latitude and longitude swapped"),
    "datum_kind_outside": ("坐标不在中国境内", "outside China"),
    "datum_read_as_is": ("，已按此处理", "; it was read as such"),
    "datum_converted": ("，已换算为 WGS-84", "; it was converted to WGS-84"),
    "datum_projected": ("文件声明的坐标系（{name}）是以米为单位的投影坐标，不能直接使用。请在 GIS 软件中导出为经纬度"
                        "（WGS-84，EPSG:4326）后再上传；如果坐标其实是经纬度，请在上传时选择坐标系。",
                        "The file declares a projected coordinate system in metres ({name}), which cannot be used. "
                        "Export the layer as longitude/latitude (WGS-84, EPSG:4326) and upload it again; if the "
                        "coordinates are in fact longitude/latitude, choose the datum when uploading."),
    "datum_mismatch": ("文件声明坐标系为 {said}，但与已有的 {count} 个相同编号的图形对比，坐标更像 {found}：按声明换算后"
                       "中位偏差 {off:.0f} 米，按 {found} 只差 {fit:.0f} 米。请确认坐标来源，上传时选择正确的坐标系"
                       "（很可能是“{found}”）后重新检查。",
                       "The file declares {said}, but compared with {count} stored features with the same ids the "
                       "coordinates look like {found}: {off:.0f} m median offset as declared, {fit:.0f} m as "
                       "{found}. Check where the coordinates come from and choose the right datum when uploading "
                       "(probably '{found}')."),
    "datum_as_chosen": ("已按您选择的 {chosen} 处理（文件声明为 {declared}）。",
                        "Read as {chosen}, as you chose (the file declares {declared})."),
    "datum_chosen_looks_other": ("您选择了 {chosen}，但与已有的 {count} 个相同编号的图形对比，坐标更像 {found}"
                                 "（按您的选择偏差 {off:.0f} 米，按 {found} 偏差 {fit:.0f} 米）。若地图上位置偏移，请改选“{found}”。",
                                 "You chose {chosen}, but compared with {count} stored features with the "
                                 "same ids the coordinates look like {found} ({off:.0f} m off as chosen, {fit:.0f} m as "
                                 "{found}). If places look shifted on the map, choose '{found}'."),
    "datum_declared": ("文件声明坐标系为 {datum}{how}。", "The file declares {datum}{how}."),
    "datum_by_references": ("与已有的 {count} 个相同编号的图形对比，坐标系判断为 {datum}（中位偏差 {residual:.0f} 米）{how}。",
                            "Compared with {count} stored features with the same ids, the datum is "
                            "{datum} (median offset {residual:.0f} m){how}."),
    "datum_by_area": ("按辖区边界判断坐标系为 {datum}（{share:.0%} 的要素落在边界内）{how}。请在地图上核对位置。",
                      "Judged by the area boundary, the datum is {datum} ({share:.0%} of the "
                      "features fall inside){how}. Check the places on the map."),
    "datum_none_declared": ("文件未声明坐标系", "The file declares no coordinate system"),
    "datum_not_told": ("无法判断坐标系", "The datum could not be told"),
    "datum_by_default": ("{lead}，已按 WGS-84 处理；若坐标取自高德地图，请选择“{gcj02}”，取自百度地图请选择“{bd09}”，然后重新检查。",
                         "{lead}, so it was read as WGS-84. If the coordinates come from Amap, choose "
                         "'{gcj02}'; from Baidu, choose '{bd09}'; then check again."),
    "datum_unknown_declared": ("文件声明的坐标系“{name}”无法识别，已忽略，改为自动判断。",
                               "The file's declared coordinate system '{name}' is not recognised and was ignored."),
    # the templates' instructions sheet (geo.io.templates), written in Chinese for office staff
    "template_file": ("{table}_模板", "{table}_template"),  # a template's file name is Chinese, as its headers
    "template_sheet": ("填写说明", "How to fill in"),
    "template_header": ("列名", "Header"),
    "template_name": ("英文列名", "English name"),
    "template_required": ("是否必填", "Required"),
    "template_what": ("填写要求", "What to write"),
    "template_must": ("必填", "required"),
    "template_may": ("选填", "optional"),
    "template_one_of": ("以下之一：{values}", "one of: {values}"),
    "template_kind_text": ("文字", "text"),
    "template_kind_int": ("整数", "a whole number"),
    "template_kind_float": ("数字", "a number"),
    "template_lon": ("经度，十进制度数如 114.3215，或度分秒如 114°19′17″E；取自高德、百度地图的坐标上传时选对坐标系",
                     "longitude in decimal degrees (114.3215) or degrees-minutes-seconds (114°19′17″E); positions "
                     "picked on Amap or Baidu: choose that datum when uploading"),
    "template_lat": ("纬度，如 29.8421；经纬度也可写在同一格（“经纬度”列：114.3215,29.8421），顺序颠倒时会自动识别",
                     "latitude such as 29.8421; both may share one cell (a 经纬度 column: 114.3215,29.8421), "
                     "either order is recognised"),
    "template_id_optional": ("可不填：不填时按名称生成编号，导入前可下载加上编号的名单",
                             "may be left out: ids are then made from the names, and the list with them can be "
                             "downloaded before importing"),
    "template_kind_date": ("日期，如 2020-02-25", "a date such as 2020-02-25"),
    # an upload's dry run (geo.upload.check)
    "check_too_big": ("文件有 {size:.3g} MB，超过上限 {limit:.3g} MB。请拆分后分别上传。",
                      "The file is {size:.3g} MB, over the {limit:.3g} MB limit; split it."),
    "check_no_rows": ("文件中没有数据行。", "The file has no data rows."),
    "check_unknown_id": ("编号 {value} 在地图上找不到。{hint}", "Id {value} matches no place on the map. {hint}"),
    "check_unknown_name": ("名称 {value} 在地图上找不到。{hint}", "No place on the map is named {value}. {hint}"),
    "check_unknown_name_group": ("{count:,} 行的名称在地图上找不到：第 {rows} 行",
                                 "{count:,} rows name no place on the map: rows {rows}"),
    "check_did_you_mean": ("是否为：{places}？", "Did you mean: {places}?"),
    "check_no_suggestion": ("请核对编号，或先上传该场所的图层。", "Check the id, or upload the place's layer first."),
    "check_unknown_id_group": ("{count:,} 行的编号在地图上找不到：第 {rows} 行",
                               "{count:,} rows have ids that match no place on the map: rows {rows}"),
    "check_wrong_shape": ("要素 {fid} 的图形是 {gtype}，{table}应为{expected}：请在 GIS 软件中改画为{expected}，"
                          "或从文件中删去这个要素，再上传。",
                          "Feature {fid} is a {gtype}; {table} must be {expected}: redraw it as {expected} in your "
                          "GIS, or delete the feature from the file, and upload again."),
    "check_wrong_shape_group": ("{count:,} 个要素的图形类型不对：第 {rows} 个",
                                "{count:,} features have the wrong kind of shape: features {rows}"),
    "check_blank_required_group": ("{count:,} 个要素没有{column}：第 {rows} 个",
                                   "{count:,} features have no {column}: features {rows}"),
    "check_blank_required_group_rows": ("{count:,} 行没有{column}：第 {rows} 行",
                                        "{count:,} rows have no {column}: rows {rows}"),
    # photos of inspections and problems (geo.io.photos), and the limit of one problem's photos
    "photo_empty": ("照片“{name}”是空文件（0 字节）。请重新拍照，或选择另一张图片上传。",
                    "The photo “{name}” is empty (0 bytes). Take it again, or choose another picture."),
    "photo_too_big": ("照片“{name}”有 {size:.3g} MB，超过上限 {limit:.3g} MB。请在手机相机设置中调低照片尺寸，或截图后上传。",
                      "The photo “{name}” is {size:.3g} MB, over the {limit:.3g} MB limit. Choose a smaller photo "
                      "size in the phone's camera settings, or upload a screenshot of it."),
    "photo_not_image": ("“{name}”不是照片（只收 JPG、PNG 或 WebP 图片），未保存。请用手机相机拍照上传 JPG 或 PNG 图片。",
                        "“{name}” is not a photo (only JPG, PNG or WebP pictures are accepted); nothing was kept. "
                        "Take the photo with the phone's camera and upload it as JPG or PNG."),
    "photo_broken": ("照片“{name}”已损坏或不完整（可能没有传完），未保存。请重新上传；仍不行时请用手机相机拍照上传 JPG 或 PNG 图片。",
                     "The photo “{name}” is damaged or incomplete (perhaps cut off while sending); nothing was kept. "
                     "Upload it again; if that fails, take the photo with the phone's camera as JPG or PNG."),
    "photo_too_many_pixels": ("照片“{name}”超过 {limit}像素（超高像素模式拍的照片，或是恶意文件），未读取。"
                              "请用手机相机的普通模式拍照上传 JPG 或 PNG 图片。",
                              "The picture “{name}” has more than {limit} pixels (a camera's high-resolution mode, "
                              "or a hostile file); it was not read. Take the photo in the camera's normal mode and "
                              "upload it as JPG or PNG."),
    "photo_too_small": ("照片“{name}”只有 {width}×{height} 像素，看不清现场（每边至少 {least} 像素）。请用手机相机拍照上传。",
                        "The photo “{name}” is only {width}×{height} pixels, too small to show anything (at least "
                        "{least} on each side). Take the photo with the phone's camera and upload it."),
    "photos_too_many": ("每个问题最多 {count} 张照片，已有 {have} 张。请先删除不需要的照片，再添加新的。",
                        "A problem holds at most {count} photos and this one has {have}. Remove a photo you do not "
                        "need first, then add the new one."),
    "photos_too_much": ("每个问题的照片合计最多 {limit:.3g} MB，已有 {have:.3g} MB，再加这张 {size:.3g} MB 就超过了。"
                        "请先删除不需要的照片，再添加新的。",
                        "A problem's photos hold at most {limit:.3g} MB together; it has {have:.3g} MB and this photo "
                        "of {size:.3g} MB would pass that. Remove a photo you do not need first, then add the new one."),
    # the shapes a layer must have, named in Chinese in both messages (as the English one always has)
    "check_blank_required": ("{where}{id}没有{column}，地图上的场所不能没有{column}。请在文件中填写后再上传。",
                             "At {where}{id}, {column} is blank; a place on the map needs one. Fill it in "
                             "and upload again."),
    "check_id_of_other_kind": ("编号 {fid} 已是一个{other}的编号：同一编号只能属于一个场所，否则其日报和物资会被重复统计。请换一个编号。",
                               "Id {fid} already belongs to one of the {other}: an id names one place only, or its "
                               "reports and supplies would count twice. Choose another id."),
    "check_date_after_today": ("日期 {date} 晚于今天（{today}）：请核实不是日期填错，确认后才能导入。",
                               "The date {date} is after today ({today}): check it is not a wrong date; the "
                               "import needs your confirmation."),
    "check_date_far": ("日期 {date} 比已有最新日报（{newest}）晚 {days} 天以上：请核实年份或月份没有填错，确认后才能导入。",
                       "The date {date} is more than {days} days after the newest stored report ({newest}): check "
                       "the year and month; the import needs your confirmation."),
    "check_unreported": ("导入后 {date} 仍有 {missing}/{total} 个场所未报告", "After this import {missing} of {total} "
                         "places still have no report for {date}"),
    "check_all_reported": ("导入后 {date} 全部 {total} 个场所均已报告", "After this import all {total} places have "
                           "reported for {date}"),
    "check_datum_doubt": ("这 {count} 个位置可能用错了坐标系：现在按{read}读取，但按{found}读取时与本市已有的网格和场所"
                          "吻合得多（{evidence}）。高德、腾讯地图上取的点是 GCJ-02，百度地图上取的是 BD-09。"
                          "如确是 {code_name}，请把坐标系改选为“{found}”后再检查；核实现在的坐标系无误，才确认导入。",
                          "These {count} positions may be read in the wrong datum: they are read as {read}, but read "
                          "as {found} they fit the city's zones and places much better ({evidence}). Points picked "
                          "on Amap or Tencent maps are GCJ-02, on Baidu maps BD-09. If they are {code_name}, choose "
                          "the datum \"{found}\" and check again; confirm the import only once you are sure the datum "
                          "is right."),
    "datum_reason_chosen": ("按您的选择。", "As you chose."),
    "datum_reason_undecided": ("本市已有的网格和场所离这些位置太远或太少，无法据此判断坐标系：请核实坐标取自哪里（高德、腾讯为 GCJ-02，百度为 BD-09）。",
                               "The city's zones and places are too far from these positions, or too few, to tell "
                               "the datum: check where the positions were picked (Amap, Tencent: GCJ-02; Baidu: "
                               "BD-09)."),
    "datum_reason_no_offset": ("与本市已有的网格和场所对照，未见明显偏移。", "The city's zones and places show no clear offset."),
    "check_datum_doubt_zones": ("按 {found} 有 {share:.0%} 的点落在所属网格内，按 {read} 只有 {share_read:.0%}",
                                "as {found} {share:.0%} of the points fall inside their zones, as {read} "
                                "{share_read:.0%}"),
    "check_datum_doubt_places": ("按 {found} 离最近的已有场所中位 {metres:,.0f} 米，按 {read} 为 {metres_read:,.0f} 米",
                                 "as {found} the nearest stored place is {metres:,.0f} m away (median), as {read} "
                                 "{metres_read:,.0f} m"),
    "check_far_from_rest": ("编号 {fid} 离本市其他场所的中心约 {km} 公里：可能是别的城市的场所，或经纬度填错、写反；"
                            "核实后确认才能导入。",
                            "Place {fid} lies about {km} km from the middle of the city's other places: perhaps a "
                            "place of another town, or a mistyped or swapped coordinate; the import needs your "
                            "confirmation."),
    "place_named": ("“{name}”（编号 {fid}）", "'{name}' (id {fid})"),
    "place_numbered": ("编号 {fid} 的场所", "Place {fid}"),
    "check_far_from_zones": ("{place}在本市所有网格片区之外，离最近的“{zone}”约 {km} 公里：请核实经纬度没有填错、写反"
                             "（只写到“度”的，如“北纬29度”，应写到分），确认后才能导入。",
                             "{place} lies outside every zone of the city, about {km} km from the nearest, "
                             "'{zone}': check its coordinate is not mistyped or swapped (degrees alone, as in 29°N, "
                             "need their minutes); the import needs your confirmation."),
    "check_replace_retires_most": ("整层替换将停用 {count:,} 个{table}，而文件只有 {rows:,} 个：至少一半的已有场所会被停用。"
                                   "如只是更新或增加几个场所，请取消勾选“整层替换”；确是整层替换，确认后才能导入。",
                                   "Replacing the whole layer would retire {count:,} of the {table} while the file "
                                   "has {rows:,}: half or more of the stored places would go. To update or add a "
                                   "few places, untick the whole-layer replacement; if it is one, the import needs "
                                   "your confirmation."),
    "check_repeats_stored": ("{place}是新的，但看来就是已有的{twin}（同名，或位置、轮廓相同）：如是同一场所，请改用其编号，"
                             "以免存成两个；确是另一场所，确认后才能导入。",
                             "{place} is new, but looks like {twin}, already stored (the same name, or the same "
                             "position or outline): if it is the same place, use its id so that it is not stored "
                             "twice; if it is another, the import needs your confirmation."),
    "check_far_move": ("编号 {fid} 的位置将移动 {km} 公里，超过 {limit} 公里：请核实不是坐标填错或坐标系选错，确认后才能导入。",
                       "Place {fid} would move {km} km, more than {limit} km: check it is not a wrong coordinate or "
                       "datum; the import needs your confirmation."),
    "check_replaces_phone": ("{place} {date} 的报告已由 {user} 于 {time} 用手机填报；导入会用这一行替换它（改变：{columns}）。"
                             "请核实表格比手机填报更新，确认后才能导入。",
                             "{place}'s report of {date} was made from a phone by {user} at {time}; this row would "
                             "replace it (changing {columns}). Check the table is newer than the phone's report; the "
                             "import needs your confirmation."),
    "check_replaces_phone_group": ("{count:,} 行会替换网格员用手机填报的报告：第 {rows} 行",
                                   "{count:,} rows would replace reports made from a phone: rows {rows}"),
    "check_phone_replaced": ("本文件有 {count} 行会替换网格员用手机填报的报告（{whose}）。确认后导入，或选择保留手机填报，只导入其余的行。",
                             "{count} rows of this file would replace reports made from a phone ({whose}). Confirm "
                             "to import them, or choose to keep the phone reports and import only the other rows."),
    "check_phone_by": ("{user} {count} 条", "{user}: {count}"),
    "check_phone_kept": ("已保留 {count} 条手机填报：文件第 {rows} 行没有导入，其余的行照常导入。",
                         "{count} phone reports kept: rows {rows} of the file are left out, the others are imported "
                         "as usual."),
    "check_phone_arrived": ("检查文件之后，又有 {count} 条手机填报到达，这个文件会替换它们：这次什么也没有导入。"
                            "文件已重新检查，请看过新的警告后再确认。",
                            "{count} phone reports arrived after the file was checked, and the file would replace "
                            "them: nothing was imported. The file has been checked again: read the new warnings, then "
                            "confirm."),
    "check_matched_by_name": ("{count} 行没有编号而写了场所名称，已按名称对应到唯一同名场所的编号。",
                              "{count} rows named their place instead of giving its id: each was matched to the one "
                              "place of that name."),
    "check_name_not_unique": ("名称“{name}”对应 {count} 个场所（{places}），无法确定是哪一个。请填写编号，或填写“区县”列。",
                              "{count} places are called “{name}” ({places}): fill in the id, or a 区县 (district) "
                              "column, to say which."),
    "check_shape_polygon": ("面（Polygon）", "a polygon (Polygon)"),
    "check_shape_point": ("点（Point）", "a point (Point)"),
    "check_shape_polygon_or_point": ("面（Polygon）或点（Point）", "a polygon (Polygon) or a point (Point)"),
    # geometry types as a file has them, named for people who never met a GIS
    "gtype_Point": ("点（Point）", "point (Point)"),
    "gtype_MultiPoint": ("多点（MultiPoint）", "multipoint (MultiPoint)"),
    "gtype_LineString": ("线（LineString）", "line (LineString)"),
    "gtype_MultiLineString": ("多线（MultiLineString）", "multiline (MultiLineString)"),
    "gtype_LinearRing": ("线（LinearRing）", "line (LinearRing)"),
    "gtype_Polygon": ("面（Polygon）", "polygon (Polygon)"),
    "gtype_MultiPolygon": ("多面（MultiPolygon）", "multipolygon (MultiPolygon)"),
    "gtype_GeometryCollection": ("几何集合（GeometryCollection）", "geometry collection (GeometryCollection)"),
    "check_added_rows": ("新增 {count} 行{table}", "{count} new {table}"),
    "check_added_places": ("新增 {count} 个{table}", "{count} new {table}"),
    "check_changed_rows": ("{count} 行{table}有修改", "{count} {table} changed"),
    "check_changed_places": ("{count} 个{table}有修改", "{count} {table} changed"),
    "check_identical": ("与现有数据相同，没有变化。", "Identical to the stored data: nothing changes."),
    "check_moved_closure": ("{count} 个小区封闭状态变化（{detail}）", "{count} compounds change closure status ({detail})"),
    "check_moved_resumption": ("{count} 个工地复工状态变化（{detail}）", "{count} sites change resumption state ({detail})"),
    "check_moved_state": ("{count} 个{places}{state}变化（{detail}）", "{count} {places} changed ({state}: {detail})"),
    "check_moved_to": ("{count} 个转为{state}", "{count} to {state}"),
    "check_fever": ("报告发热 {count} 人", "{count} fever reports"),
    "check_short": ("{count} 个场所物资偏紧或告急", "{count} places short of supplies"),
    "check_converted": ("坐标已从 {datum} 转换为 WGS-84", "Coordinates converted from {datum} to WGS-84"),
    # a list of places with coordinate columns (geo.io.points)
    "points_no_coordinates": ("表中找不到坐标列。请用“经度”“纬度”两列（或 lng/lat、x/y），或一列“经纬度”写成"
                              "“114.32,29.85”；也可在上传页的“列对应”中指定哪一列是经度、哪一列是纬度。表中的列：{headers}。",
                              "No coordinate columns found. Use two columns 经度 and 纬度 (or lng/lat, x/y), or one "
                              "column 经纬度 holding \"114.32,29.85\"; or say which column is which in the upload "
                              "page's column mapping. The file's columns: {headers}."),
    "points_no_name": ("表中找不到{table}的名称列。请把名称所在列的表头写作“名称”，或在“列对应”中指定。表中的列：{headers}。",
                       "No name column for the {table} found. Head it 名称 (name) or choose it in the column "
                       "mapping. The file's columns: {headers}."),
    "points_no_such_header": ("指定的列“{header}”不在表中。表中的列：{headers}。",
                              "There is no column '{header}' in the file. Its columns: {headers}."),
    "points_half_position": ("只填了{given}（{value}），{missing}是空的。请补上{missing}，或把两格都清空后再上传"
                             "（两格都空的行列为“待定位”）。",
                             "Only {given} is filled in ({value}); {missing} is blank. Fill in {missing}, or clear "
                             "both cells (the place is then listed as unplaced)."),
    "points_not_a_position": ("坐标“{value}”无法识别。应为十进制度数（如 114.3215）或度分秒（如 114°19′17″E），"
                              "请改正或清空后再上传（清空的行列为“待定位”）。",
                              "'{value}' is not understood as a position: write decimal degrees (114.3215) or "
                              "degrees, minutes and seconds (114°19′17″E), or leave it blank (the place is then "
                              "listed as unplaced)."),
    "points_duplicate_id": ("编号 {key} 出现在第 {rows} 行：一个编号只能对应一个场所。请改正后再上传。",
                            "Id {key} is on rows {rows}: an id names one place only. Correct it and upload again."),
    "points_columns": ("按表头读取：{roles}。如不对，请改正列对应。",
                       "Columns read by their headers: {roles}. If this is wrong, correct the column mapping."),
    "points_columns_by_values": ("表头没有写明坐标，按数值判断：{roles}。请确认列对应。",
                                 "No header names the coordinates; judged by their values: {roles}. Please "
                                 "confirm the column mapping."),
    "points_role": ("{role}取自“{header}”", "{role} from '{header}'"),
    "points_swapped": ("表中纬度在前、经度在后（数值在 3–54 之间的是纬度，73–136 之间的是经度），已按经度在前读取。",
                       "The file has latitude first (values between 3 and 54 are latitudes, 73 to 136 "
                       "longitudes): read with longitude first."),
    "points_ids_made_layer": ("文件中的要素都没有编号，已按名称为 {count} 个{table}生成编号（同一文件再次上传时编号不变；已有同名的沿用其编号）。"
                              "日报请用这些编号：请保存加上编号的文件。",
                              "No feature of the file has an id, so each feature ({table}: {count}) was given an id "
                              "made from its name: the same file uploaded again gets the same ids, and those already "
                              "stored keep theirs. The daily reports need these ids: keep the file with its ids."),
    "points_ids_made": ("表中没有编号列，已按名称为 {count} 个{table}生成编号（同一名单再次上传时编号不变；已有同名的沿用其编号）。"
                        "日报请用这些编号：请保存加上编号的名单。",
                        "The list has no id column, so each place ({table}: {count}) was given an id made from its "
                        "name: the same list uploaded again gets the same ids, and those already stored keep "
                        "theirs. The daily reports need these ids: keep the list with its ids."),
    "points_repeated_names": ("名单中有 {count} 个名称重复出现：{groups}。已作为不同的{table}分别编号；若是同一场所重复列出，"
                              "请删去多余的行后再上传。",
                              "{count} names appear more than once: {groups}. Each was given an id of its own as a "
                              "different one of the {table}; if a place is listed twice, delete the extra rows and "
                              "upload again."),
    "points_repeated_group": ("“{name}”（{where}）", "“{name}” ({where})"),
    "points_rows": ("第 {rows} 行", "rows {rows}"),
    "points_features": ("第 {rows} 个要素", "features {rows}"),
    "points_unplaced": ("{count} 个场所没有坐标（{where}），导入后列为“待定位”：照常计入统计和报表，地图上暂不显示。"
                        "可在“场所维护”页点地图定位，或补上坐标后再上传。",
                        "{count} places have no position ({where}): once imported, a place without one is listed "
                        "as unplaced, counted in every figure and table but not drawn. Place it by clicking the map "
                        "on the 'Edit places' page, or add the position to the list and upload again."),
    "check_name_example": ("第 {row} 行 {key} 写作“{written}”，地图上是“{stored}”",
                           "row {row}: {key} written '{written}', on the map '{stored}'"),
    "check_names_differ": ("{count} 行的名称与编号对应的场所不同（以编号为准）：{examples}。",
                           "{count} rows name a place other than the one their id is (the id is used): {examples}."),
    "check_name_differs": ("编号 {key} 是“{stored}”，这一行却写作“{written}”：这一行将记在“{stored}”名下，请核实后确认。",
                           "Id {key} is '{stored}' but this row says '{written}': the row will be stored for "
                           "'{stored}'; check it, then confirm."),
    "check_zones_by_name": ("{count} 个场所的所属片区写的是片区名称，已对应为片区编号（{examples}）。",
                            "{count} places name their zone by its name: matched to the zone's id ({examples})."),
    "check_zones_unknown": ("{count} 个场所的所属片区（{zones}）不是已有片区的编号或名称：它们计为“不在任何片区内”。"
                            "请先上传片区名单，或改正这些名称。",
                            "{count} places name a zone ({zones}) that is neither a stored zone's id nor its name: "
                            "they count as outside every zone. Upload the zones first, or correct these names."),
    "points_listed": ("这是一份没有坐标的{table}名单（{count} 个）：照常用于筛选、统计和报表，场所按“所属片区”一列归入；"
                      "地图上不画片区范围。以后可再上传片区的形状（GeoJSON，如 DataV 行政区划），编号相同即补上。",
                      "This is a list of {count} {table} without positions: used for filters, figures and tables as "
                      "usual, places join them by their zone column; no zone outline is drawn. Upload their shapes "
                      "later (GeoJSON, e.g. DataV boundaries) with the same ids to add them."),
    "points_datum_platform": ("文件带有 {platform} 区划数据的属性（{word}），坐标很可能是{datum}，已按此转换为 WGS-84。"
                              "如不是，请在“坐标系”中改选后重新检查。",
                              "The file has the properties of {platform}'s boundary data ({word}), so its positions "
                              "are most likely {datum}: converted from it to WGS-84. If not, choose the datum and "
                              "check again."),
    "points_datum_hint": ("文件中有“{word}”字样，坐标很可能是{datum}，已按此转换为 WGS-84。如不是，请在“坐标系”中改选后重新检查。",
                          "The file mentions '{word}', so its positions are most likely {datum}: converted from "
                          "it to WGS-84. If not, choose the datum and check again."),
    "points_outlines_kept": ("{count} 个场所的点位落在其已有轮廓内，保留原轮廓（名单只更新文字信息）。",
                             "{count} places' points fall inside their stored outlines: the outlines are kept (the "
                             "list updates their other columns only)."),
    "outlines_matched": ("按位置匹配：{count} 个面各套住一个已有点位，将作为这些场所的轮廓（编号、名称和历史不变，不新增场所）。",
                         "Matched by position: {count} polygons each contain one stored point and become those "
                         "places' outlines (ids, names and history unchanged; no place is added)."),
    "outlines_empty": ("{count} 个面没有套住任何已有点位，不导入（第 {features} 个要素）：可能是公园、道路等其他用地，或名单里还没有的场所。",
                       "{count} polygons contain no stored point and are not imported (features {features}): other "
                       "land use, or places not in the list yet."),
    "outlines_crowded": ("第 {number} 个要素套住了 {count} 个点位（{places}），无法确定是哪个场所的轮廓，不导入。",
                         "Feature {number} contains {count} stored points ({places}): whose outline it is cannot be "
                         "told, so it is not imported."),
    "outlines_claimed": ("点位 {place} 落在多个面里（第 {features} 个要素），都不导入：请在文件中只保留它的轮廓。",
                         "Place {place} lies in several polygons (features {features}): none is imported; keep only "
                         "its outline in the file."),
    "datum_remembered": ("文件未说明坐标系，按本市上次导入的坐标系（{datum}）读取并转换为 WGS-84。如不是，请在“坐标系”中改选后重新检查。",
                         "The file does not say its datum: read as the city's last import was ({datum}) and "
                         "converted to WGS-84. If that is wrong, choose the datum and check again."),
    "points_list_with_ids": ("下载加上编号的名单", "Download the list with its ids"),
    "points_role_lon": ("经度", "longitude"),
    "points_role_lat": ("纬度", "latitude"),
    "points_role_lonlat": ("经纬度（一格）", "position (one cell)"),
    "check_removed_places": ("{count} 个{table}不在文件中，将停用（其日报历史保留，回退此版本即可恢复）",
                             "{count} {table} are not in the file and will be retired (their daily reports are kept; "
                             "rolling this version back brings them back)"),
    "problem_at": ("{where}：{message}", "{where}: {message}"),
    # a city's store: its data folder read through the upload's checks, or started empty (geo.upload.city)
    "seed_imported": ("数据目录中的 {file} 已通过检查并导入（版本 {version}）。",
                      "{file} of the data folder passed the checks and was imported (version {version})."),
    "seed_refused": ("数据目录中的 {file} 有 {count} 个问题，没有导入。{first}",
                     "{file} of the data folder has {count} problems and was not imported. {first}"),
    "city_name_blank": ("城市名称不能为空。", "The city's name cannot be blank."),
    "city_name_too_long": ("城市名称最多 {limit} 个字，且不能含控制字符。",
                           "The city's name has at most {limit} characters and no control characters."),
    "version_new_city": ("新建城市“{city}”：原有数据停用", "New city “{city}”: the stored data retired"),
    # the store's versions (geo.store.versions); their summaries are stored as [zh, en] pairs
    "version_nothing_to_roll_back": ("数据已与版本 {version} 之后相同，无需回退。",
                                     "The table is already as it was after version {version}; nothing to roll back."),
    "version_rolled_back": ("回退到版本 {version}", "Rolled back to version {version}"),
    "version_seeded": ("初始数据：{count} 行", "Initial data: {count} rows"),
    "version_seed_problems": ("{count} 行有问题未导入", "{count} rows with problems not imported"),
    "version_old_shape": ("（旧图形）", "(old shape)"),
    "version_new_shape": ("（新图形）", "(new shape)"),
    "version_target_not_empty": ("目标数据库不是空的", "the target already has rows in {table}: move into an empty database"),
    "version_backup_damaged": ("备份文件已损坏", "{backup} is damaged"),
    # an account's area (geo.accounts.scope)
    "scope_unknown_kind": ("范围应写成 district:区县名、street:街道名、zone:片区编号 或 places:场所编号（如 zone:Z1,Z2）。",
                           "Write a scope as district:name, street:name, zone:ids or places:ids (such as zone:Z1,Z2)."),
    "scope_no_values": ("范围没有写任何区县、街道、片区或场所。", "The scope names no district, street, zone or place."),
    "scope_too_many": ("范围最多 5000 个场所或片区。", "A scope holds at most 5,000 places or zones."),
    "scope_unknown_values": ("本市没有这些{by}：{values}。请检查拼写，或先上传它们。",
                             "The city has no such {by}: {values}. Check the spelling, or upload them first."),
    "scope_by_district": ("区县", "district"),
    "scope_by_street": ("街道", "street"),
    "scope_by_zone": ("片区", "zone"),
    "scope_by_places": ("场所", "place"),
    "scope_whole_city": ("全市", "whole city"),
    "scope_described": ("{by}：{values}", "{by}: {values}"),
    "auth_done_scope": ("{name} 的范围已设为{scope}。", "{name} now sees {scope}."),
    "auth_done_phone": ("{name} 的手机已保存。", "{name}'s phone is saved."),
    "auth_col_scope": ("范围", "Area"),
    "batch_no_name_column": ("表格第一行要有“用户名”列（可加“角色”“范围”“手机”列）。",
                             "The table's first row needs a column 用户名 (name), and may have 角色, 范围 and 手机."),
    "batch_name_taken": ("已有账号“{name}”：请换一个用户名，或从表中删去这一行。",
                         "An account {name} exists already: choose another name, or leave this row out."),
    "batch_name_twice": ("用户名“{name}”在第 {first} 行已出现：每个账号只写一行。",
                         "The name {name} is on row {first} already: one row per account."),
    "batch_too_many": ("一次最多创建 {limit} 个账号：请分成几个表格。", "At most {limit} accounts at once: split the table."),
    # the command line (geo.cli), which prints both languages
    "cli_unexpected": ("命令因意外错误中止，这是本系统的问题，不是您的文件或操作的问题。已保存的数据以“python -m geo history”"
                       "所列为准。详细信息已写入 {file}，请交给系统管理员。",
                       "The command stopped on an unexpected error: a fault of this system, not of your file or "
                       "what you did. What is stored is what 'python -m geo history' lists. The details are in "
                       "{file}: please pass it to the administrator."),
    "cli_cannot_open": ("无法打开文件", "cannot open the file"),
    "cli_rows": ("行", "rows"),
    "cli_note": ("提示", "note"),
    "cli_error": ("错误", "error"),
    "cli_would": ("将会", "would"),
    "cli_example": ("例", "e.g."),
    "cli_every_problem": ("（同类问题合并列出；加 --json 可得到每一处问题）", "(problems of one kind listed together; "
                          "--json lists each one)"),
    "cli_valid": ("可以导入", "valid"),
    "cli_invalid": ("共 {count} 个问题，未导入", "invalid"),
    "cli_no_user": ("没有用户 {name}（先用 python -m geo user add 创建）", "no user {name}"),
    "cli_nothing_imported": ("与现有数据相同，未导入（没有生成新版本）", "identical to the stored data: nothing imported, no version made"),
    "cli_imported": ("已导入为版本 {version}", "imported as version {version}"),
    "cli_no_version": ("没有版本 {version}", "no version {version}"),
    "cli_rolled_back": ("已回退，新版本 {version}", "rolled back as version {version}"),
    "cli_restore_sqlite_only": ("只有 SQLite 存储可以这样恢复（PostgreSQL 请用 pg_restore）",
                                "only an SQLite store can be restored this way (use pg_restore for PostgreSQL)"),
    "cli_cannot_restore": ("无法恢复", "cannot restore"),
    "cli_restored": ("已从 {backup} 恢复", "restored"),
    "cli_restore_accounts_kept": ("账户保持恢复前的状态，没有用备份里的：{count} 个账户在备份中不同（角色、停用、密码或有无），"
                                  "仍按现在的：{names}。",
                                  "Accounts keep their state from before the restore, not the backup's: {count} "
                                  "differ in the backup (role, disabled, password, or missing), and stay as they are "
                                  "now: {names}."),
    "cli_restore_accounts_same": ("账户保持恢复前的状态（与备份中的相同）。",
                                  "Accounts keep their state from before the restore (the backup's are the same)."),
    "cli_restore_accounts_from_backup": ("原存储已损坏，读不出账户：现在用的是备份中的账户。请用 python -m geo user list "
                                         "检查，停用不该有的账户。",
                                         "The replaced store was too damaged to read its accounts: the backup's are in "
                                         "force now. Check them with python -m geo user list and disable any that "
                                         "should not be there."),
    "cli_kept": ("；原存储保存在 {kept}", "the replaced store is kept in {kept}"),
    "cli_store_problem": ("数据存储无法读取或写入（{detail}）：可能被其他程序锁定、只读或已损坏，未做任何更改。"
                          "稍后重试；若已损坏，用 python -m geo restore 列出并恢复自动备份（见 README）。",
                          "The store cannot be read or written ({detail}): locked, read-only or damaged; nothing "
                          "was changed. Try again later; if it is damaged, python -m geo restore lists and restores "
                          "the automatic backups."),
    "backup_failed": ("这次更改前的自动备份没有做成（{detail}），没写完的备份已删除；更改本身照常进行，成败另行说明。",
                      "The automatic backup before this change failed ({detail}); the unfinished copy was removed. "
                      "The change itself goes ahead, and says whether it worked."),
    "store_full": ("磁盘已满或写不进去，数据存储无法写入（{detail}）：这次的更改没有保存，已保存的数据完好无损。请管理员"
                   "清理或扩充存储所在的磁盘（磁盘未满时请检查磁盘是否故障），然后重新导入即可，无需其他操作。",
                   "The disk is full or takes no writes, so the store cannot be written ({detail}): this change "
                   "was not saved; what was saved before is intact. An administrator frees or adds disk space for "
                   "the store (if it is not full, checks the disk for a fault), then import again: nothing else "
                   "is needed."),
    "store_read_only": ("数据存储是只读的（{detail}）：可以查看和导出，但不能保存任何更改，这次的更改也没有保存。请管理员"
                        "检查存储所在的磁盘或文件夹能否写入（如磁盘被挂载为只读、文件权限）。",
                        "The store is read-only ({detail}): it can be viewed and exported, but no change can be "
                        "saved, and this one was not. An administrator checks that the disk or folder of the store "
                        "can be written (a disk mounted read-only, file permissions)."),
    "cli_warning": ("警告", "warning"),
    "cli_warning_line": ("警告：{text}", "warning: {text}"),
    "cli_place_saved": ("已保存为版本 {version}", "saved as version {version}"),
    "cli_needs_confirmation": ("有 {count} 个警告：核实后加 --accept-warnings 再导入",
                               "{count} warnings: check them, then import with --accept-warnings"),
    "cli_unknown_role": ("--column {option}：没有这个角色，可用的有 {roles}",
                         "--column {option}: no such role; the roles are {roles}"),
    "cli_ids_written": ("加上编号的名单已写入 {path}", "the list with its ids is written to {path}"),
    "cli_columns_option": ("列不对时，用 --column 角色=表头 指定后重新检查，如 --column 经度=东经",
                           "if a column is wrong, give --column ROLE=HEADER (e.g. --column 经度=东经) and check again"),
    "cli_keep_phone_option": ("保留手机填报、只导入其余的行：加 --keep-phone-reports",
                              "to keep the phone reports and import only the other rows: add --keep-phone-reports"),
    "cli_ids_option": ("用 --ids-out 文件名 写出加上编号的名单", "write the list with its ids with --ids-out FILE"),
    "cli_datum_option": ("坐标系不对时，用 --datum gcj02（高德、腾讯）、--datum bd09（百度）或 --datum wgs84（GPS、天地图）指定后重新检查",
                         "if the datum is wrong, give --datum gcj02 (Amap, Tencent), bd09 (Baidu) or wgs84 (GPS, "
                         "Tianditu) and check again"),
    "cli_moved": ("已迁移", "moved: {count} rows; set CMDMAP_DATABASE_URL to the new URL"),
    "setting_refused": ("设置 {variable} 的值“{value}”无法识别。它决定谁能访问本系统，不能猜测，因此什么也没有启动或执行。"
                        "请改为以下之一：{accepted}（大小写均可，引号可有可无），然后重新启动或重新运行命令。",
                        "The setting {variable} has a value that is not understood: “{value}”. It decides who may "
                        "use the app, so it is not guessed at: nothing was started or done. Set it to one of: "
                        "{accepted} (any case, quotes or none), then start the app or run the command again."),
    "setting_whole_number": ("整数", "a whole number"),
    "setting_number": ("数字", "a number"),
    "setting_text": ("任意文字", "any text"),
    "server_gate_missing": ("本系统须用 streamlit run serve.py（或 ./run.sh app）启动：它把登录绑定到登录所用的浏览器，"
                            "并拒绝未登录者上传文件。直接运行 app.py 时这些保护都不存在，因此页面不会打开。",
                            "Start the app with streamlit run serve.py (or ./run.sh app): it binds each login to the "
                            "browser that logged in and refuses files from anyone who may not upload. Run as app.py "
                            "directly it would have neither, so no page opens."),
    "server_upload_refused": ("此会话不能上传文件：请先在本浏览器中以工作人员或管理员身份登录。",
                              "This session may not upload files: log in as staff or an administrator in this "
                              "browser first."),
    "server_upload_too_much": ("此会话已有 {pending} MB 文件等待处理，再加 {size} MB 会超过上限 {limit} MB。"
                               "请先移除已选的文件，或导入后再上传。",
                               "This session already holds {pending} MB of files; {size} MB more would exceed "
                               "its limit of {limit} MB. Remove a chosen file, or import, and upload again."),
    "server_tiles_refused": ("底图瓦片只提供给已登录的浏览器：请先登录。", "Base map tiles are for logged-in browsers only: log in first."),
    "server_files_refused": ("数据文件只提供给已登录的浏览器：请先登录。", "Data files are for logged-in browsers only: log in first."),
    "server_files_scoped": ("此账号只能查看其范围内的数据：这个文件不在其范围内。",
                            "This account sees only its own area: this file is outside it."),
    "server_metrics_refused": ("运行指标只提供给已登录的管理员。", "Server metrics are for logged-in administrators only."),
    "tile_file_missing": ("底图文件“{path}”不存在（设置 CMDMAP_TILE_FILE）。地图暂不显示底图；请检查路径后重新启动。",
                          "The base map file “{path}” does not exist (setting CMDMAP_TILE_FILE). The maps show no "
                          "base map meanwhile; check the path and start the app again."),
    "tile_file_unknown": ("底图文件“{path}”既不是 MBTiles 也不是 PMTiles 文件。地图暂不显示底图；请换用瓦片下载工具导出的 "
                          ".mbtiles 或 .pmtiles 文件后重新启动。",
                          "The base map file “{path}” is neither an MBTiles nor a PMTiles file. The maps show no base "
                          "map meanwhile; use the .mbtiles or .pmtiles file a tile downloader wrote and start again."),
    "tile_file_unreadable": ("底图文件“{path}”无法作为 {kind} 读取（文件损坏、不完整或没有读取权限）。地图暂不显示底图；"
                             "请重新导出或复制该文件后重新启动。",
                             "The base map file “{path}” cannot be read as {kind} (damaged, incomplete, or not "
                             "readable by the app). The maps show no base map meanwhile; export or copy the file "
                             "again and start the app again."),
    "tile_file_empty": ("底图文件“{path}”里没有瓦片。地图暂不显示底图；请重新下载所需范围和级别的瓦片。",
                        "The base map file “{path}” holds no tiles. The maps show no base map meanwhile; download "
                        "the tiles of the area and zoom levels needed again."),
    "tile_file_not_raster": ("底图文件“{path}”里的瓦片格式是“{format}”，不是图片（png、jpg 或 webp）；矢量瓦片不能作为底图。"
                             "地图暂不显示底图；请导出图片瓦片后重新启动。",
                             "The tiles in the base map file “{path}” are “{format}”, not images (png, jpg or webp); "
                             "vector tiles cannot be shown as the base map. The maps show no base map meanwhile; "
                             "export image tiles and start again."),
    "server_upload_no_length": ("上传请求缺少文件大小（Content-Length），已拒绝。",
                                "An upload must say its size (Content-Length); refused."),
    "cli_init_has_data": ("这里已有数据（{url}）：{places} 个场所、{reports} 行日报。未做任何更改。"
                          "如确要停用这些数据、新建城市，请加 --force：会先备份整个存储，之后也可在“历史版本”中回退。",
                          "This store already holds data ({url}): {places} places and {reports} report rows. Nothing "
                          "was changed. To retire them and start a new city, add --force: the whole store is backed "
                          "up first, and History can still undo it."),
    "cli_init_backup": ("已备份整个存储：{path}", "the whole store was backed up to {path}"),
    "cli_init_backup_failed": ("无法备份，未做任何更改：{detail}", "the backup failed, nothing was changed: {detail}"),
    "cli_init_no_name": ("请用 --city 给城市起个名字，例如：python -m geo init --city 楚雄市",
                         "name the city with --city, e.g. python -m geo init --city 楚雄市"),
    "cli_init_done": ("已新建城市“{city}”（{url}），其中还没有任何场所。打开应用，按欢迎页的步骤上传场所和日报。",
                      "Started the city “{city}” ({url}) with no places yet. Open the app and follow its welcome "
                      "page: upload the places, then the daily reports."),
    "cli_init_demo": ("已新建演示城市“{city}”（{url}）并导入其场所、日报和今晨网格员的手机填报。",
                      "Started the demo city “{city}” ({url}) with its places, daily reports and this morning's "
                      "reports from the grid officers' phones."),
    "cli_replace_layer_only": ("只有图层（网格片区、物业小区、在建工地）可以整层替换（--replace），日报不行；"
                               "按位置补轮廓（--match-outlines）也不行：它只改图形，不停用场所。",
                               "only a layer (zones, compounds, sites) can be replaced whole (--replace), not a "
                               "daily report, nor with --match-outlines (which changes shapes only)"),
    "demo_city_name": ("咸安区（演示）", "Xian'an district (demo)"),
    # the morning briefing (疫情防控工作日报), its map figures and its command
    "briefing_title": ("疫情防控工作日报", "Epidemic control daily briefing"),
    "briefing_scheduled_written": ("已按时生成今日的疫情防控工作日报：{files}", "Today's briefing was written on schedule: {files}"),
    "briefing_scheduled_failed": ("按时生成日报失败（明天同一时间再试）。", "Writing the briefing on schedule failed (tried "
                                  "again tomorrow at the same time)."),
    "briefing_time_unreadable": ("设置 CMDMAP_BRIEFING_TIME 的值“{value}”不是时间（应为 时:分，如 07:30）：不会按时生成日报。",
                                 "CMDMAP_BRIEFING_TIME “{value}” is not a time (HH:MM, e.g. 07:30): no briefing will "
                                 "be written on schedule."),
    "briefing_issue": ("第{number}期", "Issue {number}"),
    "briefing_issuer": ("{where}　{date}", "{where}, {date}"),
    "briefing_date": ("{date}", "{date}"),
    "briefing_freshness": ("数据更新时间：{time}", "Data last updated: {time}"),
    "briefing_freshness_unknown": ("数据更新时间：未知", "Data last updated: unknown"),
    "briefing_numerals": ("一,二,三,四,五,六,七,八,九,十,十一,十二", "1,2,3,4,5,6,7,8,9,10,11,12"),
    "briefing_heading": ("{number}、{heading}", "{number}. {heading}"),
    "briefing_more_rows": ("（另有 {count} 条未列出，详见系统。）", "({count} more rows not listed: see the dashboard.)"),
    "briefing_overall": ("总体情况", "Overall figures"),
    "briefing_compared": ("变化量与上一完整日报日（{date}）相比。", "Changes are against the previous complete report day ({date})."),
    "briefing_no_compare": ("没有可比较的上一完整日报日，不列变化量。",
                            "There is no previous complete report day to compare with, so no change is given."),
    "briefing_closure": ("小区封闭管理", "Compound closure"),
    "briefing_closure_map": ("物业小区封闭管理状态", "Closure status of residential compounds"),
    "briefing_sealed_count": ("全封闭小区 {count} 个，其中封闭 {days} 天以上的 {long} 个（最长 {longest} 天：{name}）。",
                              "{count} compounds are sealed, {long} of them for {days} days or more (the longest "
                              "{longest} days: {name})."),
    "briefing_sealed_none": ("当日没有全封闭小区。", "No compound is sealed that day."),
    "briefing_long_sealed": ("封闭 {days} 天以上的小区", "Compounds sealed {days} days or more"),
    "briefing_col_long_sealed": ("封闭{days}天以上", "Sealed {days}+ days"),
    "briefing_col_sealed_days": ("封闭天数", "Days sealed"),
    "briefing_col_sealed_since": ("封闭起始日", "Sealed since"),
    "briefing_resumption": ("工地复工复产", "Work resumption"),
    "briefing_resumption_map": ("在建工地复工状态", "Resumption state of construction sites"),
    "briefing_caption": ("图：{title}（未叠加底图，仅绘制网格片区边界与场所）",
                         "Figure: {title} (no base map: only grid zone outlines and places are drawn)"),
    "briefing_caption_basemap": ("图：{title}（底图：{basemap}）", "Figure: {title} (base map: {basemap})"),
    "briefing_supplies": ("防疫物资", "Epidemic supplies"),
    "briefing_short_count": ("物资偏紧或告急的场所共 {count} 个，按可用天数从少到多排列：",
                             "{count} places are short of supplies, fewest days of cover first:"),
    "briefing_none_short": ("没有物资偏紧或告急的场所。", "No place is short of supplies."),
    "briefing_reporting": ("日报报送情况", "Daily reporting"),
    "briefing_missing_count": ("{count} 个场所未报送当日日报（零报告也须上报），请以下负责人督促：",
                               "{count} places did not report that day (even nothing must be reported); "
                               "the people to call:"),
    "briefing_all_reported": ("所有场所均已报送当日日报。", "Every place reported that day."),
    "briefing_zones_silent": ("{count} 个网格片区内所有场所均未报送。", "In {count} grid zones no place reported."),
    "briefing_zones_heading": ("整片未报送的网格片区", "Grid zones where no place reported"),
    "briefing_attention_count": ("需要关注的事项共 {count} 项，按紧急程度排列：",
                                 "{count} items need attention, most urgent first:"),
    "briefing_attention_none": ("没有需要关注的事项。", "Nothing needs attention."),
    "briefing_changes": ("较上一日变化", "Changes since the previous day"),
    "briefing_changed_count": ("共 {count} 个场所状态发生变化：", "{count} places changed state:"),
    "briefing_nothing_changed": ("没有场所状态发生变化。", "No place changed state."),
    "briefing_note_same": ("本日报各项数字与系统总览页同一日期、同一区县筛选下显示的数字一致。",
                           "Every figure here equals what the dashboard's overview shows for the same date and "
                           "district."),
    "briefing_note_basemap": ("地图未叠加底图（天地图等），仅绘制网格片区边界与场所位置。",
                              "The maps have no base map (such as Tianditu): only grid zone outlines and places."),
    "briefing_note_tiles": ("地图底图：{basemap}（底图仅作位置参考）。", "Base map of the figures: {basemap} (for orientation "
                            "only)."),
    "briefing_no_district": ("未划分区县", "No district"),
    "briefing_col_figure": ("指标", "Figure"),
    "briefing_col_value": ("数值", "Value"),
    "briefing_col_change": ("较上一日报", "Change"),
    "briefing_col_district": ("区县", "District"),
    "briefing_col_compounds": ("小区数", "Compounds"),
    "briefing_col_sites": ("工地数", "Sites"),
    "briefing_col_resumed": ("已复工", "Resumed"),
    "briefing_col_place": ("场所", "Place"),
    "briefing_col_kind": ("类别", "Kind"),
    "briefing_col_zone": ("网格片区", "Grid zone"),
    "briefing_col_level": ("物资状态", "Supplies"),
    "briefing_col_days": ("可用天数", "Days of cover"),
    "briefing_col_items": ("短缺物资", "Items short"),
    "briefing_col_person": ("负责人", "Person in charge"),
    "briefing_col_phone": ("联系电话", "Phone"),
    "briefing_col_reason": ("事项", "Reason"),
    "briefing_col_detail": ("说明", "Detail"),
    "briefing_col_from": ("原状态", "From"),
    "briefing_col_to": ("现状态", "To"),
    "briefing_col_count": ("数量", "Count"),
    "briefing_legend": ("图例", "Legend"),
    "briefing_north": ("北", "N"),
    "briefing_scale_km": ("{value} 公里", "{value} km"),
    "briefing_scale_m": ("{value} 米", "{value} m"),
    "briefing_no_font": ("本机没有可用的中文字体，无法生成日报（否则中文会显示为方框）。请安装中文字体"
                         "（如 Debian/Ubuntu 上运行 apt-get install fonts-noto-cjk，提供 {files}）后再试。",
                         "No Chinese font on this machine, so the briefing cannot be made (its Chinese would print "
                         "as boxes). Install one (on Debian/Ubuntu: apt-get install fonts-noto-cjk, which gives "
                         "{files}) and try again."),
    "briefing_no_date": ("{date} 没有任何日报，无法生成该日的日报。最近有日报的日期：{dates}",
                         "There is no daily report on {date}, so no briefing for it. The latest report dates: {dates}"),
    "briefing_no_such_district": ("没有名为“{district}”的区县。可选：{districts}",
                                  "There is no district called \"{district}\". Districts: {districts}"),
    "cli_briefing_written": ("日报已写入 {path}", "The briefing was written to {path}"),
    "cli_briefing_suffix": ("输出文件须以 .docx（Word）或 .pdf 结尾：{path}",
                            "The output file must end in .docx (Word) or .pdf: {path}"),
    "cli_officer_exists": ("账户 {name} 已存在，片区 {zone} 的网格员未重复创建。",
                           "The account {name} exists: zone {zone}'s officer is not made again."),
    "cli_officers_done": ("已创建 {count} 个网格员账户。初始密码只显示这一次，请分发给本人并提醒其修改。",
                          "{count} officer accounts made. Their first passwords are shown this once: hand each to "
                          "its officer."),
    # a place's report of today from a phone (geo.upload.daily)
    "phone_file_unreadable": ("{file} 无法读取：应为 JSON，含 date（日期）和 entries（每次填报：by、zone、at、places、values）。",
                              "{file} cannot be read: it should be JSON with date and entries (each save: by, zone, "
                              "at, places, values)."),
    "phone_file_bad_entry": ("{file} 第 {number} 条填报缺少 by、zone、at 或 places，或时间无法识别，未导入。",
                             "Entry {number} of {file} lacks by, zone, at or places, or its time cannot be read: not "
                             "imported."),
    "phone_file_entry": ("{file} 第 {number} 条填报未导入：{reason}", "Entry {number} of {file} is not imported: {reason}"),
    "seed_phone_imported": ("已从 {file} 导入 {count} 个场所的手机填报。", "Imported the phone reports of {count} places "
                            "from {file}."),
    "daily_saved": ("已保存今日报告。", "Today's report is saved."),
    "daily_corrected": ("已更正，原 {time} {user} 的报告已替换（原报告保留在历史版本中）。",
                        "Corrected: {user}'s report of {time} is replaced (it stays in the history)."),
    "daily_corrected_table": ("已更正，原 {time} {user} 上传的表格中这个场所的报告已替换（原报告保留在历史版本中）。",
                              "Corrected: the report of this place in the table {user} uploaded at {time} is "
                              "replaced (it stays in the history)."),
    "daily_not_yours": ("场所“{place}”不在您负责的范围内，不能填报。请刷新页面，从列表中选择。",
                        "The place “{place}” is not among yours: it cannot be reported. Reload the page and pick "
                        "from the list."),
    "daily_nothing_yesterday": ("“{place}”此前没有报告，无法“与昨日相同”，请填写今日情况。",
                                "“{place}” has no earlier report to repeat: fill in today's state."),
    "daily_not_a_field": ("“{column}”不是日报可填写的项目。", "“{column}” is not something the report asks for."),
    "daily_check_failed": ("未保存：{problems}。请改正后再提交，已填写的内容仍在。",
                           "Not saved: {problems}. Correct it and send again; what you typed is kept."),
    "daily_file_name": ("手机填报：{place} {date}", "Phone report: {place} {date}"),
    "daily_many": ("{count} 个场所与昨日相同", "{count} places as yesterday"),
}

#: Placeholders that one language leaves out on purpose, by key: every other key names the same
#: placeholders in both languages (tests/test_text.py checks both).
ONE_SIDED: dict[str, frozenset[str]] = {
    # the other headers people write for a column are Chinese: the English message does not list them
    "read_missing_column": frozenset({"aliases"}),
    # printed as "中文 / English" on one line, where one side says the detail for both
    "version_target_not_empty": frozenset({"table"}),
    "version_backup_damaged": frozenset({"backup"}),
    "cli_invalid": frozenset({"count"}),
    "cli_restored": frozenset({"backup"}),
    "cli_moved": frozenset({"count"}),
}
