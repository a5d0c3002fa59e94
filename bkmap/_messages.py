"""The console's words: errors, notes, summaries and progress labels, in Vietnamese and English.

One catalogue for both languages, merged into :mod:`bkmap.i18n` and read with
:func:`bkmap.i18n.msg`, so a message is never written in one language only.
Fields in braces are filled in by the caller (``str.format``). This module
imports nothing, so that :mod:`bkmap._errors` and :mod:`bkmap.notes` can use it.
"""

from __future__ import annotations

__all__ = ["MESSAGES"]

MESSAGES: dict[str, dict[str, str]] = {
    # ---- the CLI frame
    "cli_error": {"vi": "Lỗi: {message}", "en": "Error: {message}"},
    "cli_usage": {"vi": "Cách dùng:", "en": "Usage:"},
    "cli_try_help": {
        "vi": "Xem '{command} -h' để được hướng dẫn.",
        "en": "Try '{command} -h' for help.",
    },
    "cli_no_such_option": {
        "vi": "Không có tuỳ chọn {option}.",
        "en": "No such option: {option}",
    },
    "cli_did_you_mean": {
        "vi": "Có phải ý bạn là {options}?",
        "en": "Did you mean {options}?",
    },
    "cli_no_such_command": {
        "vi": "Không có lệnh {command}.",
        "en": "No such command {command}.",
    },
    "cli_extra_args": {
        "vi": "Có đối số thừa không dùng được ({args}).",
        "en": "Got unexpected extra arguments ({args}).",
    },
    "cli_missing": {
        "vi": "Thiếu {what} {name}.",
        "en": "Missing {what} {name}.",
    },
    "cli_missing_option": {"vi": "tuỳ chọn", "en": "option"},
    "cli_missing_argument": {"vi": "đối số", "en": "argument"},
    "cli_needs_value": {
        "vi": "Tuỳ chọn {option} cần một giá trị.",
        "en": "Option {option} requires an argument.",
    },
    "cli_invalid_value": {
        "vi": "Giá trị không hợp lệ cho {param}: {message}",
        "en": "Invalid value for {param}: {message}",
    },
    "cli_not_one_of": {
        "vi": "'{value}' không thuộc các giá trị {choices}.",
        "en": "'{value}' is not one of {choices}.",
    },
    "cli_interrupted": {
        "vi": "đã dừng; không tệp kết quả nào bị ghi dở",
        "en": "interrupted; no output was left half-written",
    },
    "cli_internal_error": {
        "vi": "Lỗi: lỗi nội bộ ({detail}). Chạy lại với -vv để xem chi tiết (traceback) và báo lỗi này.",
        "en": "Error: internal error ({detail}). Run again with -vv to see the traceback, and "
        "report it.",
    },
    "cli_wrote": {"vi": "đã ghi {path}", "en": "wrote {path}"},
    "cli_wrote_detail": {"vi": "đã ghi {path} ({detail})", "en": "wrote {path} ({detail})"},
    "cli_wrote_files": {
        "vi": "đã ghi {count} tệp vào {folder}",
        "en": "wrote {count} files to {folder}",
    },
    "cli_gaps_summary": {
        "vi": "{gaps} xã còn thiếu, {conflicts} mâu thuẫn",
        "en": "{gaps} communes with gaps, {conflicts} conflicts",
    },
    "cli_gaps_dropped": {
        "vi": ", {count} dòng đầu vào bị loại",
        "en": ", {count} input rows left out",
    },
    "cli_removed": {
        "vi": "đã xoá {path} (của lần chạy trước)",
        "en": "removed {path} (from the previous run)",
    },
    "cli_compare_detail": {
        "vi": "{units} đơn vị, {before} -> {after}",
        "en": "{units} units, {before} -> {after}",
    },
    "cli_criterion8": {"vi": "tiêu chí 8", "en": "criterion 8"},
    "cli_indicator": {"vi": "chỉ tiêu {number}", "en": "indicator {number}"},
    "cli_units_on": {
        "vi": "{count} đơn vị có hiệu lực ngày {day} (phiên bản {version})",
        "en": "{count} units in force on {day} (version {version})",
    },
    "cli_versions": {"vi": "{count} phiên bản", "en": "{count} versions"},
    "cli_communes": {"vi": "{count} xã", "en": "{count} communes"},
    "cli_and_more": {"vi": "  ... và {count} vấn đề khác", "en": "  ... and {count} more"},
    # ---- output paths (bkmap.io.write)
    "word_or": {"vi": " hoặc ", "en": " or "},
    "err_suffix": {
        "vi": "{option} {target}: phải có đuôi {kinds} (đó là loại tệp được ghi); đang là {got}.",
        "en": "{option} {target}: must end in {kinds} (it gets that kind of file); got {got}.",
    },
    "err_no_suffix": {"vi": "không có đuôi", "en": "no suffix"},
    "err_no_folder": {
        "vi": "{target}: thư mục {folder} không tồn tại. Hãy tạo nó, hoặc chọn đường dẫn khác.",
        "en": "{target}: the folder {folder} does not exist. Create it, or choose another path.",
    },
    "err_not_folder": {
        "vi": "{folder}: đã tồn tại và không phải thư mục. Hãy chọn --out khác.",
        "en": "{folder}: exists and is not a folder. Choose another --out.",
    },
    # ---- severities, as a note line starts
    "sev_error": {"vi": "lỗi", "en": "error"},
    "sev_warning": {"vi": "cảnh báo", "en": "warning"},
    "sev_info": {"vi": "thông tin", "en": "info"},
    # ---- progress labels (bkmap._progress), keyed by the English label
    "progress_marginal gain": {"vi": "lợi ích biên", "en": "marginal gain"},
    "progress_scenarios": {"vi": "kịch bản", "en": "scenarios"},
    "progress_coverage union": {"vi": "hợp vùng phủ sóng", "en": "coverage union"},
    "progress_2020 polygons": {"vi": "ranh giới 2020", "en": "2020 polygons"},
    "progress_planner settings": {
        "vi": "thiết lập của trang lập kế hoạch",
        "en": "planner settings",
    },
    "progress_village model": {"vi": "mô hình thôn", "en": "village model"},
    # ---- bkmap check
    "chk_header": {
        "vi": "== {path} ({kind}, {count} {what})",
        "en": "== {path} ({kind}, {count} {what})",
    },
    "chk_kind_boundaries": {"vi": "ranh giới", "en": "boundaries"},
    "chk_kind_points": {"vi": "lớp điểm", "en": "points"},
    "chk_kind_table": {"vi": "bảng", "en": "table"},
    "chk_what_boundaries": {"vi": "vùng", "en": "features"},
    "chk_what_points": {"vi": "điểm", "en": "points"},
    "chk_what_table": {"vi": "dòng", "en": "rows"},
    "chk_what_other": {"vi": "mục", "en": "items"},
    "chk_encoding": {"vi": "  bảng mã: {value}", "en": "  encoding: {value}"},
    "chk_coordinates": {"vi": "  hệ toạ độ: {value}", "en": "  coordinates: {value}"},
    "chk_coverage": {"vi": "  phủ kín: {value}", "en": "  coverage: {value}"},
    "chk_clean_file": {"vi": "  không có vấn đề nào", "en": "  no problems found"},
    "chk_verdict_0": {"vi": "sạch", "en": "clean"},
    "chk_verdict_1": {"vi": "chỉ có cảnh báo", "en": "warnings only"},
    "chk_verdict_2": {"vi": "có lỗi", "en": "errors"},
    "chk_summary": {
        "vi": "Đã kiểm tra {files} tệp theo các đơn vị hành chính của {on}: {errors} lỗi, "
        "{warnings} cảnh báo ({verdict}).",
        "en": "{files} file(s) checked against the units of {on}: {errors} error(s), "
        "{warnings} warning(s) ({verdict}).",
    },
    # ---- readers: files
    "err_not_found_table": {
        "vi": "{path}: không tìm thấy tệp. Kiểm tra lại đường dẫn, hoặc chạy "
        "`bkmap template --out {name}` để tạo một bảng mẫu.",
        "en": "{path}: file not found. Check the path, or run `bkmap template --out {name}` to "
        "make one.",
    },
    "err_folder_table": {
        "vi": "{path}: là một thư mục, không phải bảng. Hãy chỉ ra một tệp .csv hoặc .xlsx.",
        "en": "{path}: is a folder, not a table. Give a .csv or .xlsx file.",
    },
    "err_table_type": {
        "vi": "{path}: không đọc được loại bảng {suffix!r}. Dùng một trong các loại: {allowed}.",
        "en": "{path}: unsupported table type {suffix!r}. Use one of {allowed}.",
    },
    "err_empty_table": {
        "vi": "{path}: tệp rỗng. Hãy điền vào bảng mẫu do `bkmap template` tạo ra.",
        "en": "{path}: the file is empty. Fill in the template from `bkmap template`.",
    },
    "err_decode": {
        "vi": "{path}: không giải mã được theo bảng mã {encoding!r} ({detail}). Chỉ rõ bảng mã "
        "thật của tệp bằng --encoding.",
        "en": "{path}: cannot decode as {encoding!r} ({detail}). Give the file's real encoding "
        "with --encoding.",
    },
    "err_not_xlsx": {
        "vi": "{path}: không đọc được như một sổ tính Excel ({detail}). Hãy lưu lại tệp dưới "
        "dạng .xlsx.",
        "en": "{path}: cannot read as an Excel workbook ({detail}). Save it again as .xlsx.",
    },
    "err_not_csv": {
        "vi": "{path}: không đọc được như tệp CSV ({detail}). Kiểm tra dấu phân cách và dấu ngoặc kép.",
        "en": "{path}: cannot parse as CSV ({detail}). Check the delimiter and quoting.",
    },
    "err_too_many_rows": {
        "vi": "{path}: nhiều hơn {limit} dòng (settings.max_table_rows), nhiều hơn mức một bảng "
        "tình trạng hay một lớp điểm cần có. {hint}",
        "en": "{path}: more than {limit} rows (settings.max_table_rows), more than a status table "
        "or a point layer should hold. {hint}",
    },
    "err_not_found_boundaries": {
        "vi": "{path}: không tìm thấy tệp. Kiểm tra đường dẫn đưa vào --boundaries.",
        "en": "{path}: file not found. Check the path given to --boundaries.",
    },
    "err_not_found_layer": {
        "vi": "{path}: không tìm thấy tệp. Kiểm tra lại đường dẫn{given}.",
        "en": "{path}: file not found. Check the path{given}.",
    },
    "err_given_to": {"vi": " đưa vào --{option}", "en": " given to --{option}"},
    "err_empty_layer": {
        "vi": "{path}: tệp rỗng. Hãy xuất lại lớp dữ liệu từ phần mềm GIS.",
        "en": "{path}: the file is empty. Export the layer again from your GIS.",
    },
    "err_folder_layer": {
        "vi": "{path}: là một thư mục, không phải lớp dữ liệu. Hãy chỉ ra một tệp: GeoPackage "
        "(.gpkg), GeoJSON hoặc shapefile (.shp).",
        "en": "{path}: is a folder, not a layer. Give a file: GeoPackage (.gpkg), GeoJSON or "
        "shapefile (.shp).",
    },
    "err_no_geometry": {
        "vi": "{path}: lớp dữ liệu không có cột hình học. Hãy đưa vào một lớp điểm hoặc vùng.",
        "en": "{path}: the layer has no geometry column. Give a layer with points or polygons.",
    },
    "err_not_vector": {
        "vi": "{path}: không đọc được như một lớp dữ liệu vector ({detail}). Shapefile cần các "
        "tệp .shp, .shx và .dbf nằm cạnh nhau; nếu không, hãy xuất lớp dưới dạng GeoPackage.",
        "en": "{path}: cannot read as a vector layer ({detail}). A shapefile needs its .shp, .shx "
        "and .dbf side by side; otherwise export the layer as GeoPackage.",
    },
    "err_shapefile_incomplete": {
        "vi": "{path}: shapefile không đủ tệp: thiếu {missing}. Một shapefile gồm nhiều tệp "
        "nằm cạnh nhau (.shp, .shx, .dbf, và .prj, .cpg); hãy chép đủ tất cả, hoặc xuất lớp "
        "dưới dạng GeoPackage (.gpkg), một tệp duy nhất.",
        "en": "{path}: the shapefile is incomplete: {missing} is missing. A shapefile is several "
        "files side by side (.shp, .shx, .dbf, and .prj, .cpg); copy all of them, or export the "
        "layer as GeoPackage (.gpkg), which is one file.",
    },
    "err_not_found_points": {
        "vi": "{path}: không tìm thấy tệp. Kiểm tra đường dẫn đưa vào cho lớp {kind}.",
        "en": "{path}: file not found. Check the path given for the {kind} layer.",
    },
    "err_empty_points": {"vi": "{path}: tệp rỗng.", "en": "{path}: the file is empty."},
    "err_no_column": {
        "vi": "{source}: không có cột {column!r} (chỉ định bằng {option}). Các cột: {columns}.",
        "en": "{source}: no column {column!r} (given with {option}). Columns: {columns}.",
    },
    "err_one_coordinate": {
        "vi": "{source}: hãy chỉ ra cả hai cột toạ độ (lon và lat, hoặc x và y), không chỉ một.",
        "en": "{source}: give both coordinate columns (lon and lat, or x and y), not one.",
    },
    "err_no_coordinates": {
        "vi": "{source}: không tìm thấy cột toạ độ (các cột: {columns}). Hãy đặt tên là lon và "
        "lat (độ), hoặc x và y (mét VN-2000, kèm --crs), hoặc chọn cột bằng --lon/--lat "
        "hay --x/--y.",
        "en": "{source}: no coordinate columns found (columns: {columns}). Name them lon and lat "
        "(degrees), or x and y (VN-2000 metres, with --crs), or choose them with --lon/--lat "
        "or --x/--y.",
    },
    "err_not_shapefile": {
        "vi": "{path}: không phải shapefile (phần đầu tệp sai hoặc quá ngắn). Tệp bị hỏng hoặc bị "
        "cắt cụt: hãy chép lại từ nguồn, hoặc xuất lại lớp dữ liệu.",
        "en": "{path}: not a shapefile (its header is wrong or too short). The file is damaged or "
        "truncated: copy it again from its source, or export the layer again.",
    },
    "err_truncated": {
        "vi": "{path}: tệp bị cắt cụt hoặc hỏng: phần đầu ghi {declared} byte, tệp có {actual}. "
        "Hãy chép lại từ nguồn, hoặc xuất lại lớp dữ liệu.",
        "en": "{path}: the file is truncated or damaged: its header says {declared} bytes, the "
        "file has {actual}. Copy it again from its source, or export the layer again.",
    },
    # ---- geometry (bkmap.geo.repair, bkmap.io.boundaries)
    "geo_empty": {"vi": "không có hình học (rỗng)", "en": "has no geometry (empty)"},
    "fix_geo_empty": {
        "vi": "Vẽ lại vùng của nó, hoặc xoá đối tượng nếu đơn vị không tồn tại.",
        "en": "Draw its polygon again, or delete the feature if the unit does not exist.",
    },
    "geo_not_polygon": {"vi": "là {kind}, không phải vùng", "en": "is a {kind}, not a polygon"},
    "fix_geo_not_polygon": {
        "vi": "Một xã cần có diện tích: thay bằng vùng ranh giới của xã.",
        "en": "A commune needs its area: replace it by the commune's polygon.",
    },
    "geo_invalid_empty": {
        "vi": "không hợp lệ ({reason}) và không còn diện tích sau khi sửa",
        "en": "is invalid ({reason}) and has no area once repaired",
    },
    "fix_geo_invalid_empty": {"vi": "Vẽ lại vùng của nó.", "en": "Draw its polygon again."},
    "geo_repaired": {
        "vi": "không hợp lệ ({reason}); đã sửa bằng make_valid",
        "en": "was invalid ({reason}); repaired with make_valid",
    },
    "fix_geo_repaired": {
        "vi": "Lần chạy này không cần làm gì; sửa vùng trong phần mềm GIS để hết cảnh báo.",
        "en": "Nothing to do for this run; fix the polygon in your GIS to silence this.",
    },
    "geo_duplicate": {"vi": "trùng vùng với {other}", "en": "has the same polygon as {other}"},
    "fix_geo_duplicate": {
        "vi": "Xoá đối tượng trùng, hoặc vẽ vùng riêng cho nó.",
        "en": "Delete the duplicate feature, or give it its own polygon.",
    },
    "err_boundary_problems": {
        "vi": "{source}: lớp ranh giới có vấn đề:",
        "en": "{source}: the boundary layer has problems:",
    },
    "err_empty_code": {
        "vi": "{feature} ({name}): mã trống. Điền mã ĐVHC của đơn vị.",
        "en": "{feature} ({name}): empty code. Fill in its GSO code.",
    },
    "err_duplicate_code": {
        "vi": "mã {code} xuất hiện ở các đối tượng {features}. Mỗi đơn vị chỉ được có một lần; "
        "hãy gộp (dissolve) hoặc xoá các bản trùng.",
        "en": "code {code} appears in features {features}. Each unit must appear once; dissolve "
        "or remove the duplicates.",
    },
    "note_features_list": {"vi": "các đối tượng {rows}", "en": "features {rows}"},
    "note_same_name": {
        "vi": "tên {name!r} xuất hiện {count} lần trong cùng một huyện",
        "en": "the name {name!r} appears {count} times in the same district",
    },
    "fix_same_name": {
        "vi": "Kiểm tra đây có phải các đơn vị khác nhau không; khi đó bảng phải ghi mã của chúng.",
        "en": "Check that these are different units; a table must then give their codes.",
    },
    # ---- dates and versions (bkmap.model)
    "units_too_early": {
        "vi": "--{argument}: {day} trước {earliest}, ngày sớm nhất mà bkmap biết các đơn vị hành "
        "chính (các đơn vị năm 2019 có từ lần cập nhật 2008-01-01). Hãy cho một ngày muộn hơn, "
        "hoặc tên một phiên bản: {versions}.",
        "en": "--{argument}: {day} is before {earliest}, the earliest date whose units bkmap knows "
        "(the 2019 units date from the update of 2008-01-01). Give a later date, or a version "
        "name: {versions}.",
    },
    "units_not_date": {
        "vi": "--{argument}: {value!r} không phải một ngày. Hãy viết YYYY-MM-DD (ví dụ 2025-07-01) "
        "hoặc tên một phiên bản: {versions}.",
        "en": "--{argument}: {value!r} is not a date. Give YYYY-MM-DD (for example 2025-07-01) or "
        "a version name: {versions}.",
    },
    "units_bad_version": {
        "vi": "không có phiên bản {version!r}. Dùng một trong: {versions}.",
        "en": "version {version!r} is unknown. Use one of: {versions}.",
    },
    "date_not_date": {
        "vi": "{text!r} không phải một ngày: hãy viết YYYY-MM-DD (2019-08-12) hoặc DD/MM/YYYY "
        "(12/08/2019)",
        "en": "{text!r} is not a date: write it as YYYY-MM-DD (2019-08-12) or DD/MM/YYYY "
        "(12/08/2019)",
    },
    "date_not_day": {
        "vi": "{text!r} không phải một ngày có thật trên lịch: hãy viết YYYY-MM-DD (2019-08-12)",
        "en": "{text!r} is not a day of the calendar: write a real date as YYYY-MM-DD (2019-08-12)",
    },
    "date_not_month": {
        "vi": "{text!r} không phải một tháng có thật: hãy viết YYYY-MM (2021-12)",
        "en": "{text!r} is not a month of the calendar: write YYYY-MM (2021-12)",
    },
    # ---- planning (bkmap.planning.model)
    "plan_not_vnd": {
        "vi": "{option}: {text!r} không phải một số tiền (đồng).",
        "en": "{option}: {text!r} is not an amount of VND.",
    },
    "plan_vnd_hint": {
        "vi": "Viết bằng chữ số (5000000000, 5e9, 5.000.000.000) hoặc kèm đơn vị (5 tỷ, 500tr, 5bn).",
        "en": "Write it as digits (5000000000, 5e9, 5,000,000,000) or with a unit (5bn, 5 tỷ, 500tr).",
    },
    "plan_negative": {
        "vi": "{option}: {text!r} là số âm. Hãy cho một số tiền từ 0 đồng trở lên.",
        "en": "{option}: {text!r} is negative. Give an amount of VND of 0 or more.",
    },
    "plan_not_count": {
        "vi": "{option}: {text!r} không phải một số đài. Hãy cho một số nguyên như 12 hoặc 20.",
        "en": "{option}: {text!r} is not a number of stations. Give a whole number such as 12 or 20.",
    },
    "plan_needs_probability": {
        "vi": "--unknown probability cần --probability P: xác suất (0 < P <= 1) một xã chưa rõ "
        "8.3 thực ra chưa đạt 8.3. Ví dụ {example}, suy ra từ số liệu công bố năm 2019.",
        "en": "--unknown probability needs --probability P: the probability (0 < P <= 1) that a "
        "commune with 8.3 unknown did not meet 8.3. For example {example}, derived from the "
        "published 2019 count.",
    },
    "plan_bad_probability": {
        "vi": "--probability: {value!r} nằm ngoài (0, 1]. Hãy cho một xác suất như 0.45.",
        "en": "--probability: {value!r} is outside (0, 1]. Give a probability such as 0.45.",
    },
    "plan_probability_alone": {
        "vi": "--probability chỉ dùng với --unknown probability (đang là --unknown {unknown}).",
        "en": "--probability applies only with --unknown probability (got --unknown {unknown}).",
    },
    "plan_bad_weight": {
        "vi": "--weight: {value!r} nằm ngoài [0, 1]. Đây là trọng số của số xã.",
        "en": "--weight: {value!r} is outside [0, 1]. It is the weight of the commune count.",
    },
    "plan_bad_existing": {
        "vi": "--existing: mã {codes} không phải đơn vị đang được lập kế hoạch. Dùng mã ĐVHC 5 chữ "
        "số của năm 2019.",
        "en": "--existing: code(s) {codes} are not units being planned. Use 5-digit 2019 GSO codes.",
    },
    "plan_need_limit": {
        "vi": "hãy cho ngân sách (--budget VND), số đài (--stations N), hoặc cả hai.",
        "en": "give a budget (--budget VND), a number of stations (--stations N), or both.",
    },
    # ---- encodings (bkmap.io.encodings)
    "enc_forced": {
        "vi": "{encoding} (chỉ định bằng --encoding)",
        "en": "{encoding} (forced with --encoding)",
    },
    "enc_bom": {"vi": "{encoding} (dấu thứ tự byte)", "en": "{encoding} (byte-order mark)"},
    "enc_ascii": {
        "vi": "ascii (không có chữ có dấu; bảng mã nào cũng đọc được)",
        "en": "ascii (no accented letters; any encoding reads it)",
    },
    "enc_unicode": {
        "vi": "văn bản Unicode (chuẩn hoá NFC)",
        "en": "Unicode text (normalised to NFC)",
    },
    "enc_detected": {
        "vi": "{encoding} (tự nhận biết, độ tin cậy {confidence}: {share} trong {words} từ có dấu "
        "đọc ra tiếng Việt)",
        "en": "{encoding} (detected, confidence {confidence}: {share} of {words} accented words "
        "read as Vietnamese)",
    },
    "enc_declares": {"vi": "; tệp khai báo {declared}", "en": "; the file declares {declared}"},
    # ---- coordinate systems (bkmap.io.crs)
    "crs_method_declared": {"vi": "theo khai báo", "en": "declared"},
    "crs_method_detected": {"vi": "tự nhận biết", "en": "detected"},
    "crs_method_corrected": {"vi": "đã sửa", "en": "corrected"},
    "crs_method_forced": {"vi": "chỉ định bằng --crs", "en": "forced"},
    "crs_axes_swapped": {"vi": ", đảo trục", "en": ", axes swapped"},
    "crs_share": {
        "vi": "{share} số đỉnh nằm trong {area}",
        "en": "{share} of vertices in {area}",
    },
    "crs_lat_first": {"vi": "vĩ độ trước kinh độ", "en": "latitude before longitude"},
    "crs_north_first": {"vi": "toạ độ bắc trước toạ độ đông", "en": "northing before easting"},
    "crs_reading_swapped": {
        "vi": "{label} với hai trục bị đảo ({order})",
        "en": "{label} with its two axes swapped ({order})",
    },
    "crs_override": {
        "vi": "Chỉ định khác bằng --crs (ví dụ --crs EPSG:3405, --crs vn2000-tm3 hoặc "
        "--crs EPSG:4326).",
        "en": "Override with --crs (for example --crs EPSG:3405, --crs vn2000-tm3 or "
        "--crs EPSG:4326).",
    },
    "crs_declared_partly": {
        "vi": "theo hệ toạ độ khai báo {declared} chỉ có {share}. Kiểm tra xem tệp có phủ {area} không",
        "en": "under its declared {declared} only {share}. Check that the file covers {area}",
    },
    "crs_wrong_order": {
        "vi": "toạ độ được ghi sai thứ tự; đã đọc theo {reading} ({share}).",
        "en": "the coordinates were given in the wrong order; read as {reading} ({share}).",
    },
    "crs_declared_wrong": {
        "vi": "tệp khai báo {declared}, nhưng theo hệ đó lớp dữ liệu nằm ngoài {area}; toạ độ "
        "khớp với {reading} ({share}), hệ này đã được dùng.",
        "en": "the file declares {declared}, but under it the layer lies outside {area}; its "
        "coordinates fit {reading} ({share}), which was used.",
    },
    "crs_assumed": {
        "vi": "không khai báo hệ toạ độ (không có .prj): giả định {reading}, theo đó {share}.",
        "en": "no coordinate system declared (no .prj): assumed {reading}, which puts {share}.",
    },
    "crs_given_unused": {
        "vi": "--crs {given} không được dùng cho tệp này: tệp khai báo {declared}, theo đó nó nằm "
        "trong {area}",
        "en": "--crs {given} is not used for this file: it declares {declared}, under which it "
        "lies in {area}",
    },
    "crs_given_used": {
        "vi": "tệp khai báo {declared}, theo đó nó nằm ngoài {area}; đã dùng --crs {given}",
        "en": "the file declares {declared}, under which it lies outside {area}; --crs {given} "
        "was used",
    },
    "crs_read_as": {"vi": "đọc theo {reading}", "en": "read as {reading}"},
    "crs_given_partly": {
        "vi": "theo --crs chỉ {share} số đỉnh nằm trong {area}",
        "en": "under --crs only {share} of vertices lie in {area}",
    },
    "crs_given_outside": {
        "vi": "{source}: theo --crs {given} lớp dữ liệu nằm ngoài {area} ({range}). Kiểm tra giá "
        "trị: mét VN-2000 là EPSG:3405 (UTM 48N), EPSG:3406 (UTM 49N) hoặc vn2000-tm3; độ là "
        "EPSG:4326.",
        "en": "{source}: under --crs {given} the layer lies outside {area} ({range}). Check the "
        "value: VN-2000 metres are EPSG:3405 (UTM 48N), EPSG:3406 (UTM 49N) or vn2000-tm3; "
        "degrees are EPSG:4326.",
    },
    "crs_vn2000_degrees": {
        "vi": "Nếu là độ theo hệ VN-2000: --crs EPSG:4756.",
        "en": "Degrees in the VN-2000 datum: --crs EPSG:4756.",
    },
    "crs_only": {
        "vi": "Chỉ {share} lớp dữ liệu nằm trong {area}.",
        "en": "Only {share} of the layer lies in {area}.",
    },
    "err_coverage_csv": {
        "vi": "{path}: vùng phủ sóng không thể lấy từ bảng CSV. Hãy đưa vào GeoJSON, GeoPackage "
        "hoặc shapefile dạng vùng, hoặc đưa các trạm kèm bán kính qua --towers.",
        "en": "{path}: coverage polygons cannot come from a CSV table. Give a GeoJSON, GeoPackage "
        "or shapefile of polygons, or give towers with a radius through --towers.",
    },
    "err_not_opencellid": {
        "vi": "{path}: không có cột 'radio' và có {count} cột, nên đây không phải tệp CSV của "
        "OpenCelliD ({columns}).",
        "en": "{path}: no 'radio' column and {count} columns, so this is not an OpenCelliD CSV "
        "({columns}).",
    },
    "drop_missing_xy": {
        "vi": "thiếu toạ độ ({first}={a!r}, {second}={b!r})",
        "en": "missing coordinates ({first}={a!r}, {second}={b!r})",
    },
    "drop_bad_xy": {
        "vi": "toạ độ không đọc được ({first}={a!r}, {second}={b!r})",
        "en": "unparseable coordinates ({first}={a!r}, {second}={b!r})",
    },
    "drop_no_geometry": {"vi": "đối tượng không có hình học", "en": "feature has no geometry"},
    "drop_expected_polygon": {
        "vi": "một vùng (với điểm kèm bán kính, dùng --towers)",
        "en": "a polygon (for points with a radius use --towers)",
    },
    "drop_expected_point": {"vi": "một điểm", "en": "a point"},
    "drop_wrong_type": {
        "vi": "hình học {kind}; cần {expected}",
        "en": "{kind} geometry; expected {expected}",
    },
    "drop_mcc": {
        "vi": "MCC {value!r} không phải của Việt Nam ({mcc})",
        "en": "MCC {value!r} is not Vietnam's ({mcc})",
    },
    "drop_disc_outside": {
        "vi": "vùng phủ của trạm không chạm tới tỉnh",
        "en": "its coverage disc does not reach the province",
    },
    "drop_polygon_outside": {
        "vi": "vùng không chạm tới tỉnh",
        "en": "the polygon does not reach the province",
    },
    "drop_outside": {"vi": "nằm ngoài tỉnh", "en": "outside the province"},
    "note_bad_population": {
        "vi": "dân số {value!r} không phải một số; thôn được giữ lại, không có dân số",
        "en": "population {value!r} is not a number; the village is kept with no population",
    },
    "fix_bad_population": {
        "vi": "Ghi dân số bằng một số nguyên.",
        "en": "Write the population as a whole number.",
    },
    "note_plan_conflicting": {
        "vi": "{count} xã có nguồn mâu thuẫn về 8.3 ({named}) được lập kế hoạch như chưa rõ "
        "(--unknown {policy})",
        "en": "{count} commune(s) whose sources conflict on 8.3 ({named}) are planned for as "
        "unknown (--unknown {policy})",
    },
    "fix_plan_conflicting": {
        "vi": "Kiểm tra thực địa các xã này trước (communes.csv, cột conflicting).",
        "en": "Check them on the ground first (communes.csv, column conflicting).",
    },
    "note_costs_ignored": {
        "vi": "{count} dòng chi phí thuộc các xã không phải ứng viên (xem communes.csv): {codes}",
        "en": "{count} cost row(s) are for communes that are not candidates (see communes.csv): "
        "{codes}",
    },
    "note_subset": {
        "vi": "{count} {label} của bảng thuộc các đơn vị không có trên bản đồ; {units} đơn vị của "
        "bản đồ lấy giá trị từ bảng",
        "en": "{count} of its {label} are for units the map does not hold; the map's {units} units "
        "took their values from it",
    },
    # ---- status tables
    "err_status_schema": {
        "vi": "{source}: bảng tình trạng không đúng khuôn dạng của bkmap:",
        "en": "{source}: the status table does not fit bkmap's schema:",
    },
    "err_no_code_name": {
        "vi": "không có cột mã hoặc tên (các cột có: {found}). Thêm cột 'code' (mã ĐVHC) hoặc "
        "'name' (tên xã); `bkmap template` tạo một bảng có cả hai cột.",
        "en": "no code or name column (found: {found}). Add a 'code' (mã ĐVHC) or a 'name' "
        "(tên xã) column; `bkmap template` writes a table with both.",
    },
    "err_no_indicator": {
        "vi": "không có cột chỉ tiêu nào. Đặt tên các cột là 8.1, 8.2, 8.3 và 8.4 (hoặc "
        "'Chỉ tiêu 8.1', ...).",
        "en": "no indicator column. Name the columns 8.1, 8.2, 8.3 and 8.4 (or 'Chỉ tiêu 8.1', ...).",
    },
    "err_two_row_header": {
        "vi": "dòng đầu trông như một dòng tiêu đề hay tiêu đề gộp ô: hãy giữ đúng một dòng tiêu đề.",
        "en": "the first row looks like a title or a merged header: keep exactly one header row.",
    },
    "err_ambiguous_columns": {
        "vi": "{source}: các cột không rõ nghĩa:",
        "en": "{source}: ambiguous columns:",
    },
    "err_same_column": {
        "vi": "hai cột {first!r} và {second!r} cùng có nghĩa là {target!r}. Hãy giữ một cột.",
        "en": "columns {first!r} and {second!r} both mean {target!r}. Keep one of them.",
    },
    "err_bad_values": {
        "vi": "{source}: bảng tình trạng có giá trị không hợp lệ:",
        "en": "{source}: the status table has invalid values:",
    },
    "err_bad_status": {
        "vi": "dòng {row}, cột {column}: {value!r} không phải một tình trạng. Dùng một trong: "
        "đạt / chưa đạt / mâu thuẫn / chưa rõ / không áp dụng (hoặc {allowed}).",
        "en": "row {row}, column {column}: {value!r} is not a status. Use one of {allowed} "
        "(or đạt / chưa đạt / mâu thuẫn / chưa rõ / không áp dụng).",
    },
    "err_bad_confidence": {
        "vi": "dòng {row}, cột mức tin cậy {column}: {value!r} không phải một mức tin cậy. "
        "Dùng nêu rõ / suy ra ({allowed}).",
        "en": "row {row}, column {column} confidence: {value!r} is not a confidence. "
        "Use {allowed}.",
    },
    "err_bad_dates": {
        "vi": "{source}: bảng tình trạng có ngày không hợp lệ:",
        "en": "{source}: the status table has invalid dates:",
    },
    "err_bad_date": {
        "vi": "dòng {row}, cột {column}: {detail}.",
        "en": "row {row}, column {column}: {detail}.",
    },
    "note_where_coverage": {"vi": "phủ kín", "en": "coverage"},
    "note_where_text": {"vi": "văn bản", "en": "text"},
    "note_where_coordinates": {"vi": "toạ độ", "en": "coordinates"},
    "note_overlaps": {
        "vi": "các xã chồng lấn nhau {overlap} km² và để hở {gaps} khoảng trống, tổng {gap} km²",
        "en": "communes overlap on {overlap} km² and leave {gaps} gaps of {gap} km² in all",
    },
    "fix_overlaps": {
        "vi": "Thêm --clean để loại bỏ chúng (diện tích bị dịch chuyển được báo cáo).",
        "en": "Add --clean to remove them (the area moved is reported).",
    },
    "note_dropped": {
        "vi": "{count} dòng bị loại: {first}{more}",
        "en": "{count} row(s) left out: {first}{more}",
    },
    "fix_dropped": {
        "vi": "Báo cáo các dòng bị loại liệt kê từng dòng kèm lý do.",
        "en": "The dropped-rows report lists every one with its reason.",
    },
    "note_fallback": {
        "vi": "{count} giá trị không đọc được theo {encoding} và đã được đọc theo cp1252, nên các "
        "chữ có dấu nhiều khả năng bị sai",
        "en": "{count} value(s) cannot be read as {encoding} and were read as cp1252, so their "
        "accented letters are probably wrong",
    },
    "fix_fallback": {
        "vi": "Lưu tệp theo một bảng mã (UTF-8), hoặc chỉ rõ bảng mã đúng bằng --encoding.",
        "en": "Save the file in one encoding (UTF-8), or force the right one with --encoding.",
    },
    "note_uncertain_encoding": {
        "vi": "không chắc chắn về bảng mã: {detail}",
        "en": "the encoding is uncertain: {detail}",
    },
    "fix_uncertain_encoding": {
        "vi": "Kiểm tra các tên; chỉ rõ bảng mã đúng bằng --encoding (utf-8, cp1258, tcvn3, vni).",
        "en": "Check the names; force the right one with --encoding (utf-8, cp1258, tcvn3, vni).",
    },
    "note_legacy_encoding": {
        "vi": "văn bản dùng bảng mã cũ {detail}",
        "en": "the text is in the legacy encoding {detail}",
    },
    "fix_legacy": {
        "vi": "bkmap đọc được, nhưng các phần mềm khác hiển thị tên bị lỗi phông: hãy lưu tệp "
        "dưới dạng UTF-8.",
        "en": "bkmap reads it, but other programs show garbled names: save the file as UTF-8.",
    },
    "fix_legacy_shapefile": {
        "vi": "bkmap đọc được, nhưng các phần mềm khác hiển thị tên bị lỗi phông: hãy lưu tệp "
        "dưới dạng UTF-8 và ghi UTF-8 vào tệp .cpg.",
        "en": "bkmap reads it, but other programs show garbled names: save the file as UTF-8 "
        "and write UTF-8 in its .cpg.",
    },
    "note_cpg_wrong": {
        "vi": "tệp khai báo {declared} (.cpg) nhưng văn bản dùng {encoding}",
        "en": "the file declares {declared} (.cpg) but its text is {encoding}",
    },
    "fix_cpg_wrong": {
        "vi": "Ghi {encoding} vào tệp .cpg.",
        "en": "Write {encoding} in the .cpg file.",
    },
    "note_day_rows": {"vi": "{day} ({count} dòng)", "en": "{day} ({count} rows)"},
    "note_many_dates": {
        "vi": "các dòng ghi những ngày đánh giá khác nhau: {given}; kết quả được ghi ngày "
        "{latest}, ngày muộn nhất",
        "en": "rows give different assessment dates: {given}; the outputs are dated {latest}, "
        "the latest",
    },
    "fix_many_dates": {
        "vi": "Ghi một ngày cho cả bảng nếu các dòng được đánh giá cùng lúc.",
        "en": "Give one date per table if the rows were assessed together.",
    },
    "note_where_columns": {"vi": "các cột", "en": "columns"},
    "note_missing_indicator": {
        "vi": "không có cột cho chỉ tiêu {keys}: các giá trị này là chưa rõ cho mọi đơn vị{hint}",
        "en": "no column for indicator(s) {keys}: those values are unknown for every unit{hint}",
    },
    "note_unread_columns": {
        "vi": " (các cột không hiểu được: {columns})",
        "en": " (columns not understood: {columns})",
    },
    "note_unread_only": {
        "vi": "các cột không được đọc: {columns}",
        "en": "column(s) not read: {columns}",
    },
    "fix_unread_only": {
        "vi": "bkmap đọc mã, tên, huyện, ngày, 8.1 đến 8.4 kèm nguồn và mức tin cậy, và ghi chú; "
        "đổi tên một cột thành một trong các tên này để dùng nó.",
        "en": "bkmap reads the code, name, district, date, 8.1 to 8.4 with their sources and "
        "confidence, and a note; rename a column to one of these to use it.",
    },
    "fix_missing_indicator": {
        "vi": "Đặt tên các cột là 8.1, 8.2, 8.3 và 8.4 (hoặc 'Chỉ tiêu 8.3'), mỗi chỉ tiêu một cột.",
        "en": "Name the columns 8.1, 8.2, 8.3 and 8.4 (or 'Chỉ tiêu 8.3'), one per indicator.",
    },
    # ---- matching rows to units (join.py)
    "note_row": {"vi": "dòng {row}", "en": "row {row}"},
    "note_feature": {"vi": "đối tượng {row}", "en": "feature {row}"},
    "note_rows": {"vi": "các dòng", "en": "rows"},
    "note_features": {"vi": "các đối tượng", "en": "features"},
    "note_units": {"vi": "các đơn vị", "en": "units"},
    "note_no_match": {
        "vi": "{given!r} không khớp với đơn vị nào ({reason}); gợi ý: {candidates}",
        "en": "{given!r} matches no unit ({reason}); candidates: {candidates}",
    },
    "note_no_match_reason": {
        "vi": "không có mã hay tên nào khớp",
        "en": "no code or name matches",
    },
    "note_no_candidates": {"vi": "không có tên nào gần giống", "en": "none close"},
    "fix_no_match": {
        "vi": "Sửa tên hoặc mã; dòng này bị bỏ qua.",
        "en": "Correct the name or the code; the row is left out.",
    },
    "note_more_no_match": {
        "vi": "còn {count} {label} khác không khớp với đơn vị nào",
        "en": "{count} more {label}(s) match no unit",
    },
    "fix_more_no_match": {
        "vi": "Ghi báo cáo đối chiếu bằng --report để xem tất cả.",
        "en": "Write the match report with --report to see them all.",
    },
    "fix_doubtful_name": {
        "vi": "Sửa mã, hoặc kiểm tra ngày của các đơn vị bằng --on (mã có thể được dùng lại).",
        "en": "Correct the code, or check the date of the units with --on (codes are reused).",
    },
    "fix_doubtful_code": {
        "vi": "Kiểm tra tên; dòng này được khớp theo mã.",
        "en": "Check the name; the row was matched on its code.",
    },
    "note_units_without_row": {
        "vi": "{count}{of} đơn vị không có {label}: {shown}{more}; chúng được hiển thị là chưa rõ",
        "en": "{count}{of} units have no {label}: {shown}{more}; they are shown as unknown",
    },
    "note_of_units": {"vi": " trong {units}", "en": " of {units}"},
    "note_and_more": {"vi": " và {count} đơn vị khác", "en": " and {count} more"},
    "fix_units_without_row": {
        "vi": "Thêm {label} cho mỗi đơn vị, hoặc kiểm tra ngày của các đơn vị bằng --on.",
        "en": "Add a {label} for each, or check the date of the units with --on.",
    },
    "label_row": {"vi": "dòng", "en": "row"},
    "label_feature": {"vi": "đối tượng", "en": "feature"},
    "err_unmatched_rows": {
        "vi": "{source}: không khớp được các dòng với đơn vị một cách rõ ràng:",
        "en": "{source}: rows cannot be matched unambiguously:",
    },
    "err_duplicate_rows": {
        "vi": "các dòng {rows} đều khớp với {code} {name}. Mỗi đơn vị chỉ giữ một dòng: xoá các "
        "dòng thừa hoặc sửa mã hay tên của chúng.",
        "en": "rows {rows} all match {code} {name}. Keep one row per unit: delete the extra rows "
        "or correct their code or name.",
    },
    "match_code_other_name": {
        "vi": "mã {code} là {unit}, nhưng tên {name!r} là {other}. Mã ĐVHC có thể được dùng lại "
        "giữa các phiên bản: kiểm tra ngày (--on) và sửa mã hoặc tên.",
        "en": "code {code} is {unit}, but the name {name!r} is {other}. Codes are reused across "
        "versions: check the date (--on) and correct the code or the name.",
    },
    "match_code_reused": {
        "vi": "mã {code} là {unit} vào ngày này, nhưng dòng ghi tên {name!r}, tên mà mã {code} "
        "mang trong danh mục đơn vị {version} ({day}). Mã ĐVHC có thể được dùng lại giữa các "
        "phiên bản: dùng --on {version} nếu bảng thuộc danh mục đó, hoặc sửa mã hay tên.",
        "en": "code {code} is {unit} on this date, but the row names {name!r}, which code {code} "
        "named in the units of {version} ({day}). Codes are reused across versions: give --on "
        "{version} if the table is of those units, or correct the code or the name.",
    },
    "match_name_differs": {
        "vi": "tên {name!r} khác tên của đơn vị {unit!r}; đã khớp theo mã",
        "en": "the name {name!r} differs from the unit's name {unit!r}; matched on the code",
    },
    "match_code_unknown": {
        "vi": "mã {code} không phải một đơn vị vào ngày này; đã thử theo tên",
        "en": "code {code} is not a unit on this date; tried the name",
    },
    "match_no_district": {
        "vi": "không có huyện nào tên {district!r}",
        "en": "no district named {district!r}",
    },
    "match_other_district": {
        "vi": "{name!r} không thuộc {district!r}; đơn vị có tên này ở {where}",
        "en": "{name!r} is not in {district!r}; a unit of that name is in {where}",
    },
    "match_no_name": {
        "vi": "không có đơn vị nào tên {name!r} vào ngày này; xem các tên gần nhất trong gợi ý",
        "en": "no unit named {name!r} on this date; see the closest names in candidates",
    },
    "match_ambiguous": {
        "vi": "{name!r} là tên của {count} đơn vị; thêm huyện để chọn một",
        "en": "{name!r} names {count} units; add the district to choose one",
    },
    "match_nothing": {
        "vi": "dòng không có mã đã biết cũng không có tên",
        "en": "the row has neither a known code nor a name",
    },
    "match_duplicate": {
        "vi": "các dòng {rows} đều khớp với {code}",
        "en": "rows {rows} all match {code}",
    },
    "note_and_more_rows": {"vi": " và {count} dòng khác", "en": " and {count} more"},
    "note_where_outside": {"vi": "đơn vị ngoài chương trình", "en": "units outside the programme"},
    "note_outside_values": {
        "vi": "{count} phường/thị trấn có giá trị chỉ tiêu ({shown}); tiêu chí NTM chỉ áp dụng "
        "cho xã, nên chúng được hiển thị là không áp dụng",
        "en": "{count} phường/thị trấn have indicator values ({shown}); the NTM criteria apply to "
        "xã only, so they are shown as not applicable",
    },
    "fix_outside_values": {
        "vi": "Để trống các dòng này, hoặc ghi 'không áp dụng'.",
        "en": "Leave these rows empty, or mark them 'không áp dụng'.",
    },
    # ---- planning (bkmap.planning.model): costs, candidates, solver
    "plan_no_published": {
        "vi": "không có số liệu công bố về tiêu chí 8 cho ngày {day}; hãy tự cho xác suất (--probability).",
        "en": "no published criterion-8 count for {day}; give the probability yourself.",
    },
    "plan_no_unknown": {
        "vi": "bảng tình trạng ngày {day} không có xã nào chưa rõ; không cần xác suất.",
        "en": "the status table of {day} has no unknown commune; no probability is needed.",
    },
    "plan_cost_columns": {
        "vi": "{source}: bảng chi phí thiếu cột {missing} (các cột có: {found}). Hãy ghi mỗi xã một dòng, với các cột code (mã ĐVHC 5 chữ số) và cost_vnd (số tiền nguyên, đơn vị đồng).",
        "en": "{source}: the cost table lacks the column(s) {missing} (found: {found}). Give one row per commune with columns code (5-digit GSO code) and cost_vnd (a whole number of VND).",
    },
    "plan_cost_unknown_code": {
        "vi": "dòng {row}: mã {code!r} không phải đơn vị đang được lập kế hoạch. Dùng mã ĐVHC 5 chữ số của một xã năm 2019 (xem `bkmap template`).",
        "en": "row {row}: code {code!r} is not a unit being planned. Use the 5-digit GSO code of a 2019 commune (see `bkmap template`).",
    },
    "plan_cost_twice": {
        "vi": "dòng {row}: mã {code} được ghi hai lần (lần đầu ở dòng {first}). Mỗi xã chỉ giữ một dòng.",
        "en": "row {row}: code {code} is given twice (first on row {first}). Keep one row per commune.",
    },
    "plan_cost_negative": {
        "vi": "dòng {row}: cost_vnd {value!r} là số âm. Hãy ghi từ 0 trở lên.",
        "en": "row {row}: cost_vnd {value!r} is negative. Give 0 or more.",
    },
    "plan_cost_not_number": {
        "vi": "dòng {row}: cost_vnd {value!r} không phải một số. Hãy ghi số tiền nguyên (đồng), ví dụ 416666666.",
        "en": "row {row}: cost_vnd {value!r} is not a number. Write a whole number of VND such as 416666666.",
    },
    "plan_cost_problems": {
        "vi": "{source}: bảng chi phí có vấn đề:",
        "en": "{source}: the cost table has problems:",
    },
    "plan_bad_choice": {
        "vi": "{option}: không chấp nhận giá trị {value!r}. Dùng một trong: {allowed}.",
        "en": "{option}: {value!r} is not allowed. Use one of: {allowed}.",
    },
    "plan_negative_station_cost": {
        "vi": "chi phí mỗi đài phải từ 0 đồng trở lên.",
        "en": "station costs must be 0 VND or more.",
    },
    "plan_no_population": {
        "vi": "không có dân số năm 2019 cho (các) xã ứng viên mã {codes}. Lập kế hoạch cần các đơn vị năm 2019 và mã ĐVHC của chúng (data/population_2019.csv).",
        "en": "no 2019 population for candidate code(s) {codes}. Planning needs the 2019 units and their GSO codes (data/population_2019.csv).",
    },
    "plan_no_cbc": {
        "vi": "không tìm thấy bộ giải CBC. Cài đặt bằng `pip install 'pulp[cbc]'` hoặc `apt-get install coinor-cbc`.",
        "en": "no CBC solver found. Install it with `pip install 'pulp[cbc]'` or `apt-get install coinor-cbc`.",
    },
    "plan_over_budget": {
        "vi": "phương án của bộ giải vẫn vượt ngân sách sau khi đã siết lại; hãy báo lỗi này.",
        "en": "the solver's plan exceeds the budget even after tightening; report this.",
    },
    "plan_solver_status": {
        "vi": "bài toán quy hoạch nguyên kết thúc với trạng thái {status!r}; hãy báo lỗi này kèm dữ liệu đầu vào.",
        "en": "the integer program ended as {status!r}; report this with the inputs.",
    },
    "plan_bad_step": {
        "vi": "bước tính lợi ích biên phải lớn hơn 0 đồng.",
        "en": "the marginal step must be more than 0 VND.",
    },
    "plan_marginal_limit": {
        "vi": "--marginal-limit {limit} đồng thấp hơn ngân sách của kế hoạch ({start} đồng). Hãy cho một mức cao hơn.",
        "en": "--marginal-limit {limit} VND is below the plan's budget {start} VND. Give a higher limit.",
    },
    "plan_user_layer": {
        "vi": "một lớp ranh giới của người dùng",
        "en": "a user's layer",
    },
    "plan_not_2019": {
        "vi": "việc lập kế hoạch dùng các đơn vị năm 2019 của Bắc Kạn (dân số điều tra năm 2019 và các bằng chứng đều theo mã năm 2019), nhưng các đơn vị đang dùng là của {units}. Hãy lập kế hoạch trên các đơn vị năm 2019: bỏ --on và --province, hoặc dùng --on 2019.",
        "en": "planning works on Bắc Kạn's 2019 units (the 2019 census population and the evidence use 2019 codes), but the units are those of {units}. Plan on the 2019 units: drop --on and --province, or give --on 2019.",
    },
    # ---- the planner's precomputation (bkmap.planning.explorer)
    "explore_not_both": {
        "vi": "hãy cho ngân sách hoặc số đài, không cho cả hai.",
        "en": "give a budget or a number of stations, not both.",
    },
    "explore_need_one": {
        "vi": "hãy cho ngân sách hoặc số đài.",
        "en": "give a budget or a number of stations.",
    },
    "explore_p_not_precomputed": {
        "vi": "p = {p} chưa được tính sẵn; dùng một trong các giá trị {values} hoặc chỉ định bằng --probability.",
        "en": "p = {p} is not precomputed; use one of {values} or give it with --probability.",
    },
    "explore_too_many_steps": {
        "vi": "lưới ngân sách sẽ có {steps} bước (chi phí đài thấp nhất là {step} đồng và tổng chi phí mọi đài là {total} đồng); trang chỉ chứa được tối đa {most} bước. Kiểm tra bảng chi phí xem có khoản nào ghi sai đơn vị không.",
        "en": "the budget grid would have {steps} steps (the smallest station cost is {step} VND and all stations cost {total} VND); the page holds at most {most}. Check the cost table for a cost given in the wrong unit.",
    },
    "explore_not_2019": {
        "vi": "trang lập kế hoạch dùng các đơn vị năm 2019 của Bắc Kạn (dân số điều tra năm 2019 và các bằng chứng đều theo mã năm 2019), nhưng các đơn vị đang dùng là của {units}. Hãy bỏ --on và --province, hoặc dùng --on 2019.",
        "en": "the planner works on Bắc Kạn's 2019 units (the 2019 census population and the evidence use 2019 codes), but the units are those of {units}. Drop --on and --province, or give --on 2019.",
    },
    "explore_worse_than_greedy": {
        "vi": "phương án tối ưu ({opt}) kém hơn phương án tham lam ({greedy}) với {setting}, ngân sách {budget}, số đài {stations}: trang lập kế hoạch không ghi một trang sai; hãy báo lỗi này.",
        "en": "the optimum ({opt}) is worse than greedy ({greedy}) for {setting} at budget {budget}, stations {stations}: the planner refuses to write a wrong page; report this.",
    },
    "explore_optimum_differs": {
        "vi": "phương án tối ưu tính sẵn cho {setting}, ngân sách {budget}, số đài {stations} khác với kết quả của bài toán quy hoạch nguyên ({got} so với {expected} xã); hãy báo lỗi này.",
        "en": "the precomputed optimum for {setting} at budget {budget}, stations {stations} differs from the integer program's ({got} vs {expected} communes); report this.",
    },
    "explore_village_worse": {
        "vi": "phương án tối ưu của mô hình thôn với {sites} điểm mới phủ ít hơn phương án tham lam; trang lập kế hoạch không ghi một trang sai; hãy báo lỗi này.",
        "en": "the village model's optimum at {sites} new sites covers less than greedy; the planner refuses to write a wrong page; report this.",
    },
    # ---- village siting (bkmap.planning.siting)
    "site_bad_population": {
        "vi": "thôn {village}: {column} {value!r} không phải một số từ 0 trở lên. Hãy điền giá trị, hoặc bỏ cột này để chia đều dân số của xã.",
        "en": "village {village}: {column} {value!r} is not a number of 0 or more. Fill it in, or drop the column to spread commune population.",
    },
    "site_bad_population_header": {
        "vi": "lớp điểm thôn: giá trị dân số không hợp lệ:",
        "en": "village points: bad population values:",
    },
    "site_no_population": {
        "vi": "các điểm thôn không có dân số: hãy đưa vào ranh giới các xã để chia dân số cho thôn.",
        "en": "village points have no population: give the commune polygons to spread it.",
    },
    "site_solver_status": {
        "vi": "mô hình phủ sóng kết thúc với trạng thái {status!r}; hãy báo lỗi này kèm dữ liệu đầu vào.",
        "en": "the covering model ended as {status!r}; report this with the inputs.",
    },
    "site_bad_radius": {
        "vi": "--radius: {value!r} m không phải một khoảng cách dương. Hãy ghi số mét, ví dụ 5000.",
        "en": "--radius: {value!r} m is not a positive distance. Give metres, such as 5000.",
    },
    "site_bad_new_sites": {
        "vi": "số điểm mới phải từ 0 trở lên (đang là {value}).",
        "en": "the number of new sites must be 0 or more (got {value}).",
    },
    "site_no_candidate": {
        "vi": "không có điểm ứng viên nào: hãy đưa vào ranh giới các xã hoặc một lớp điểm ứng viên.",
        "en": "no candidate site: give commune polygons or a site layer with points.",
    },
    # ---- writing outputs (bkmap.io.write)
    "write_kind_folder": {
        "vi": "một thư mục",
        "en": "a folder",
    },
    "write_kind_char": {
        "vi": "một thiết bị ký tự",
        "en": "a character device",
    },
    "write_kind_block": {
        "vi": "một thiết bị khối",
        "en": "a block device",
    },
    "write_kind_fifo": {
        "vi": "một ống dẫn có tên (FIFO)",
        "en": "a named pipe (FIFO)",
    },
    "write_kind_socket": {
        "vi": "một socket",
        "en": "a socket",
    },
    "write_kind_other": {
        "vi": "không phải tệp thông thường",
        "en": "not a regular file",
    },
    "write_dangling_link": {
        "vi": "{target}: là liên kết tượng trưng (symlink) tới {real}, nhưng đích này không tồn tại. bkmap chỉ ghi qua liên kết tới một tệp đã có; hãy xoá liên kết hoặc chọn đường dẫn khác.",
        "en": "{target}: is a symbolic link to {real}, which does not exist. bkmap writes through a link only to an existing file; remove the link or choose another path.",
    },
    "write_link_not_file": {
        "vi": "{target}: là liên kết tượng trưng (symlink) tới {real}, đích này là {kind}, không phải tệp thông thường. bkmap không ghi đè lên nó; hãy chọn đường dẫn khác.",
        "en": "{target}: is a symbolic link to {real}, which is {kind}, not a regular file. bkmap will not write over it; choose another path.",
    },
    "write_not_file": {
        "vi": "{target}: là {kind}, không phải tệp thông thường. bkmap không ghi đè lên nó; hãy chọn đường dẫn khác.",
        "en": "{target}: is {kind}, not a regular file. bkmap will not write over it; choose another path.",
    },
    "write_fix_full": {
        "vi": "Ổ đĩa đã đầy: hãy giải phóng bớt dung lượng hoặc ghi vào nơi khác.",
        "en": "The disk is full: free some space or write somewhere else.",
    },
    "write_fix_quota": {
        "vi": "Đã dùng hết hạn mức ổ đĩa: hãy giải phóng bớt dung lượng hoặc ghi vào nơi khác.",
        "en": "The disk quota is used up: free some space or write somewhere else.",
    },
    "write_fix_denied": {
        "vi": "Bạn không có quyền ghi vào đó: hãy chọn đường dẫn khác hoặc sửa quyền truy cập.",
        "en": "You may not write there: choose another path or fix the permissions.",
    },
    "write_fix_read_only": {
        "vi": "Hệ thống tệp chỉ cho phép đọc: hãy ghi vào nơi khác.",
        "en": "The file system is read-only: write somewhere else.",
    },
    "write_fix_too_large": {
        "vi": "Tệp quá lớn đối với hệ thống tệp đó: hãy ghi vào nơi khác.",
        "en": "The file is too large for that file system: write somewhere else.",
    },
    "write_fix_no_folder": {
        "vi": "Thư mục chứa không tồn tại: hãy tạo thư mục, hoặc chọn đường dẫn khác.",
        "en": "Its folder does not exist: create it, or choose another path.",
    },
    "write_fix_other": {
        "vi": "Hãy chọn đường dẫn khác.",
        "en": "Choose another path.",
    },
    "write_failed": {
        "vi": "{path}: không ghi được kết quả ({reason}). {fix}",
        "en": "{path}: cannot write the output ({reason}). {fix}",
    },
    "write_locked": {
        "vi": "{folder}: một lần chạy bkmap khác (tiến trình {pid}) đang ghi vào thư mục này. Hãy chờ nó kết thúc, hoặc chọn --out khác. Nếu không có bkmap nào đang chạy, hãy xoá {lock}.",
        "en": "{folder}: another bkmap run (process {pid}) is writing this folder. Wait for it to end, or choose another --out. If no bkmap is running, delete {lock}.",
    },
    "write_where_lock": {
        "vi": "khoá",
        "en": "lock",
    },
    "write_lock_taken": {
        "vi": "đã tiếp quản {lock} do tiến trình {pid} để lại, tiến trình này không còn chạy (một lần chạy đã bị dừng); các tệp ghi dở của nó đã bị bỏ",
        "en": "took over {lock} left by process {pid}, which no longer runs (a run that was stopped); its half-written files were discarded",
    },
    "write_no_lock": {
        "vi": "{lock}: không lấy được khoá của {folder}. Hãy chọn --out khác.",
        "en": "{lock}: cannot take the lock of {folder}. Choose another --out.",
    },
    "write_shapefile_cut": {
        "vi": "văn bản trong shapefile chỉ chứa được {bytes} byte: các giá trị dài hơn của {columns} đã bị cắt",
        "en": "shapefile text holds {bytes} bytes: longer values of {columns} were cut",
    },
    "write_fix_shapefile_cut": {
        "vi": "Dùng GeoPackage (--format gpkg) để giữ nguyên văn bản.",
        "en": "Use the GeoPackage (--format gpkg) for the whole text.",
    },
    "write_not_shapefile_folder": {
        "vi": "{target}: đã tồn tại và không phải thư mục shapefile do bkmap ghi (không có fields.csv). bkmap không thay thế nó; hãy chọn --out khác.",
        "en": "{target}: exists and is not a shapefile folder bkmap wrote (no fields.csv). bkmap will not replace it; choose another --out.",
    },
    # ---- writing outputs (bkmap.io.write), continued
    "write_the_outputs": {
        "vi": "các tệp kết quả",
        "en": "the outputs",
    },
    # ---- options that do not apply (bkmap.pipeline)
    "opt_province_boundaries": {
        "vi": "--province đọc một lớp toàn quốc (--national); không dùng cùng với --boundaries được.",
        "en": "--province reads a national layer (--national); it cannot be combined with --boundaries.",
    },
    "opt_on_national": {
        "vi": "--on chọn phiên bản các đơn vị hành chính của Bắc Kạn có sẵn trong bkmap; lớp toàn quốc có đơn vị riêng của nó. Hãy bỏ --on, hoặc bỏ --province/--national.",
        "en": "--on chooses the version of Bắc Kạn's shipped units; a national layer has its own units. Drop --on, or drop --province/--national.",
    },
    "opt_columns": {
        "vi": "--columns ánh xạ các cột của tệp --national; hãy chỉ ra --national FILE.",
        "en": "--columns maps the columns of a --national file; give --national FILE.",
    },
    "opt_whole_province_area": {
        "vi": "--whole-province chỉ áp dụng cho các đơn vị năm 2025 của Bắc Kạn; hãy bỏ nó khi dùng --province.",
        "en": "--whole-province applies to Bắc Kạn's units of 2025; drop it with --province.",
    },
    "opt_whole_province_on": {
        "vi": "--whole-province thêm các đơn vị khác của Thái Nguyên kể từ 2025-07-01; các đơn vị vào ngày {on} là của phiên bản {version}. Hãy dùng --on 2025-07-01 hoặc muộn hơn.",
        "en": "--whole-province adds the other units of Thái Nguyên from 2025-07-01; the units on {on} are those of {version}. Give --on 2025-07-01 or later.",
    },
    "opt_whole_province_default": {
        "vi": "--whole-province thêm các đơn vị khác của Thái Nguyên kể từ 2025-07-01; hãy dùng --on 2025-07-01 (mặc định là các đơn vị năm 2019).",
        "en": "--whole-province adds the other units of Thái Nguyên from 2025-07-01; give --on 2025-07-01 (the default units are those of 2019).",
    },
    "opt_crs": {
        "vi": "--crs chỉ định hệ toạ độ của tệp do bạn đưa vào (--boundaries, --national, một lớp dữ liệu); các lớp có sẵn trong bkmap đã có hệ toạ độ riêng.",
        "en": "--crs gives the coordinate system of a file you give (--boundaries, --national, a layer); the shipped layers have theirs.",
    },
    "opt_layer": {
        "vi": "--layer chọn một lớp trong tệp --boundaries hoặc --national; hãy đưa vào một tệp như vậy.",
        "en": "--layer chooses a layer of a --boundaries or --national file; give one.",
    },
    "opt_encoding": {
        "vi": "--encoding áp dụng cho các tệp do bạn đưa vào (--status, --boundaries, --national); các tệp có sẵn trong bkmap đều là UTF-8.",
        "en": "--encoding applies to the files you give (--status, --boundaries, --national); bkmap's shipped files are UTF-8.",
    },
    "opt_header": {
        "vi": "các tuỳ chọn sau không áp dụng được:",
        "en": "these options do not apply:",
    },
    "opt_the_status_table": {
        "vi": "bảng tình trạng",
        "en": "the status table",
    },
    "opt_as_of_differs": {
        "vi": "{source}: --as-of {day}, nhưng cột as_of của bảng ghi ngày {given}. Hãy bỏ --as-of, hoặc sửa ngày trong bảng.",
        "en": "{source}: --as-of {day}, but the table is dated {given} in its as_of column. Drop --as-of, or correct the table's dates.",
    },
    # ---- national layers (bkmap.io.national)
    "nat_bad_pair": {
        "vi": "{part!r} không đúng dạng cột_chuẩn=cột_của_bạn (schema_column=your_column)",
        "en": "{part!r} is not of the form schema_column=your_column",
    },
    "nat_not_schema_column": {
        "vi": "{name!r} không phải một cột chuẩn; dùng một trong: {columns}",
        "en": "{name!r} is not a schema column; use one of {columns}",
    },
    "nat_columns_header": {
        "vi": "--columns: cách ánh xạ cột có vấn đề:",
        "en": "--columns: the column mapping has problems:",
    },
    "nat_columns_missing": {
        "vi": "{source}: --columns nêu các cột mà lớp dữ liệu không có: {missing}. Các cột của lớp là: {columns}.",
        "en": "{source}: --columns names columns the layer does not have: {missing}. Its columns are: {columns}.",
    },
    "nat_no_column": {
        "vi": "không có cột {column!r}. Hãy đổi tên cột, hoặc ánh xạ nó bằng --columns {column}=YOUR_COLUMN.",
        "en": "no {column!r} column. Rename it, or map it with --columns {column}=YOUR_COLUMN.",
    },
    "nat_schema_header": {
        "vi": "{source}: lớp toàn quốc không đúng khuôn dạng của bkmap:",
        "en": "{source}: the national layer does not fit bkmap's schema:",
    },
    "nat_empty_code": {
        "vi": "đối tượng {feature}: mã trống. Hãy điền mã.",
        "en": "feature {feature}: empty code. Fill it in.",
    },
    "nat_empty_province": {
        "vi": "đối tượng {feature}: tên tỉnh trống. Hãy điền tên tỉnh.",
        "en": "feature {feature}: empty province. Fill it in.",
    },
    "nat_duplicate_code": {
        "vi": "mã {code} xuất hiện ở các đối tượng {features}. Mỗi xã chỉ được xuất hiện một lần với mã riêng của nó.",
        "en": "code {code} appears in features {features}. Each commune must appear once with its own code.",
    },
    "nat_problems_header": {
        "vi": "{source}: lớp toàn quốc có vấn đề:",
        "en": "{source}: the national layer has problems:",
    },
    "nat_national_layer": {
        "vi": "lớp toàn quốc",
        "en": "national layer",
    },
    "nat_empty_province_option": {
        "vi": "--province '': hãy cho tên hoặc mã của một tỉnh, hoặc 'all' cho cả nước.",
        "en": "--province '': give a province's name or code, or 'all' for the whole country.",
    },
    "nat_no_province": {
        "vi": "--province {wanted!r}: không có tỉnh nào có tên hoặc mã này trong {source}. Các tên gần nhất: {hint}. Dùng --province all cho cả nước.",
        "en": "--province {wanted!r}: no province of that name or code in {source}. Closest names: {hint}. Use --province all for the whole country.",
    },
    "nat_not_found": {
        "vi": "{path}: không tìm thấy tệp. Kiểm tra đường dẫn đưa vào --national.",
        "en": "{path}: file not found. Check the path given to --national.",
    },
    # ---- text encodings (bkmap.io.encodings)
    "enc_unknown": {
        "vi": "{source}: không biết bảng mã văn bản {name!r}. Dùng một trong: {encodings} (tên khác: abc/tcvn cho tcvn3, windows-1258 cho cp1258).",
        "en": "{source}: unknown text encoding {name!r}. Use one of {encodings} (aliases: abc/tcvn for tcvn3, windows-1258 for cp1258).",
    },
    "enc_utf16": {
        "vi": "{source}: tệp có vẻ là văn bản UTF-16 không có dấu thứ tự byte (BOM). Hãy lưu lại dưới dạng CSV UTF-8, hoặc dùng --encoding utf-16.",
        "en": "{source}: the file looks like UTF-16 text without its byte-order mark. Save it again as CSV UTF-8, or give --encoding utf-16.",
    },
    "enc_nul": {
        "vi": "{source}: tệp chứa byte NUL (byte đầu tiên ở vị trí {position}), nên đây không phải bảng văn bản (hoặc tệp bị hỏng). Hãy lưu lại dưới dạng CSV UTF-8 hoặc .xlsx.",
        "en": "{source}: the file holds NUL bytes (the first at position {position}), so it is not a text table (or it is damaged). Save it again as CSV UTF-8 or as .xlsx.",
    },
    "enc_mixed": {
        "vi": "{source}: tệp dùng lẫn nhiều bảng mã: các dòng {utf8} là UTF-8, các dòng {other} thì không (một bảng mã tiếng Việt cũ, thường do dán từ tệp khác). Hãy lưu cả tệp theo một bảng mã (CSV UTF-8), hoặc chỉ rõ bảng mã bằng --encoding.",
        "en": "{source}: the file mixes text encodings: lines {utf8} are UTF-8, lines {other} are not (a legacy Vietnamese encoding, often after pasting from another file). Save the whole file in one encoding (CSV UTF-8), or force one with --encoding.",
    },
    "enc_invalid_bytes": {
        "vi": "{source}: các byte ở vị trí {position} không hợp lệ theo {name} ({bytes}). Hãy chỉ rõ bảng mã thật của tệp bằng --encoding ({encodings}), hoặc bỏ tuỳ chọn này để bkmap tự nhận biết.",
        "en": "{source}: the bytes at position {position} are not valid {name} ({bytes}). Give the file's real encoding with --encoding ({encodings}), or leave it out to detect it.",
    },
    # ---- commands (bkmap.jobs)
    "job_bad_format": {
        "vi": "--format {fmt!r}: hãy chọn một trong: {formats}.",
        "en": "--format {fmt!r}: choose one of {formats}.",
    },
    "job_shp_out": {
        "vi": "--out {target}: với --format shp, hãy chỉ ra một thư mục (không có đuôi) hoặc một tệp .zip; đang là {suffix!r}. Muốn có GeoPackage thì dùng --format gpkg và tên tệp .gpkg.",
        "en": "--out {target}: with --format shp, give a folder (no suffix) or a .zip file; got {suffix!r}. For a GeoPackage use --format gpkg and a .gpkg name.",
    },
    "job_plan_need_limit": {
        "vi": "hãy cho ngân sách (--budget VND), số đài (--stations N), hoặc cả hai; hoặc các kịch bản bằng --compare / --compare-stations.",
        "en": "give a budget (--budget VND), a number of stations (--stations N), or both; or scenarios with --compare / --compare-stations.",
    },
    "job_sites_need_villages": {
        "vi": "--sites cần --villages (nhu cầu của mô hình phủ sóng).",
        "en": "--sites needs --villages (the demand of the covering model).",
    },
    "job_no_village": {
        "vi": "{path}: không có điểm thôn nào nằm trong tỉnh. Kiểm tra tệp và hệ toạ độ (CRS) của nó.",
        "en": "{path}: no village point inside the province. Check the file and its CRS.",
    },
    "job_compare_two": {
        "vi": "hãy cho đúng hai lần đánh giá (đang có {count}): --as-of 2018-07-31 --as-of 2019-08-12, hoặc hai tệp --status.",
        "en": "give exactly two assessments (got {count}): --as-of 2018-07-31 --as-of 2019-08-12, or two --status files.",
    },
    # ---- tables: size limits and NUL characters (bkmap.io.tables, bkmap.settings)
    "tab_xlsx_too_big": {
        "vi": "{path}: sổ tính chiếm {size} MB khi giải nén, vượt giới hạn {limit} MB (settings.max_xlsx_uncompressed_bytes). Hãy lưu trang tính dưới dạng CSV, hoặc: {hint}",
        "en": "{path}: the workbook holds {size} MB once uncompressed, more than the limit of {limit} MB (settings.max_xlsx_uncompressed_bytes). Save the sheet as CSV, or: {hint}",
    },
    "tab_zip_bomb": {
        "vi": "{path}: phần {part} của tệp được nén {ratio} lần ({size} MB từ {packed} MB), vượt giới hạn {limit} (settings.max_xlsx_compression_ratio): tệp trông giống một quả bom nén (zip bomb), không phải trang tính. {hint}",
        "en": "{path}: its part {part} is compressed {ratio} times ({size} MB from {packed} MB), more than the limit of {limit} (settings.max_xlsx_compression_ratio): it looks like a zip bomb, not a sheet. {hint}",
    },
    "tab_header_column": {
        "vi": "dòng 1 (dòng tiêu đề), cột",
        "en": "row 1 (the header), column",
    },
    "tab_field_name": {
        "vi": "tên trường",
        "en": "field name",
    },
    "tab_nul_name": {
        "vi": "{label} {name!r}: chứa ký tự NUL (\\x00). Hãy xoá ký tự này.",
        "en": "{label} {name!r}: holds a NUL character (\\x00). Remove it.",
    },
    "tab_column": {
        "vi": "cột",
        "en": "column",
    },
    "tab_field": {
        "vi": "trường",
        "en": "field",
    },
    "tab_nul_cell": {
        "vi": "{where} {row}, {column} {name!r}: chứa ký tự NUL (\\x00), ký tự này sẽ làm văn bản bị cắt ngắn. Hãy xoá nó.",
        "en": "{where} {row}, {column} {name!r}: holds a NUL character (\\x00), which would cut the text short. Remove it.",
    },
    "tab_nul_header": {
        "vi": "{source}: văn bản có ký tự NUL:",
        "en": "{source}: text with NUL characters:",
    },
    "tab_field_too_long": {
        "vi": "{source}: {where} {row}, {column} {name!r} có {chars} ký tự, vượt giới hạn {limit} (settings.max_field_chars). {hint}",
        "en": "{source}: {where} {row}, {column} {name!r} holds {chars} characters, more than the limit of {limit} (settings.max_field_chars). {hint}",
    },
    "limit_hint": {
        "vi": "Nếu tệp đúng là như vậy, hãy nâng giới hạn: `bkmap --limit {name}={shown} <lệnh> ...`, hoặc BKMAP_LIMITS={name}={shown}, hoặc bkmap.settings.{setting} trong Python.",
        "en": "If the file is genuine, raise the limit: `bkmap --limit {name}={shown} <command> ...`, or BKMAP_LIMITS={name}={shown}, or bkmap.settings.{setting} in Python.",
    },
    # ---- boundary layers (bkmap.io.boundaries)
    "bnd_no_attribution": {
        "vi": "{table}: không có dòng cho lớp {layer!r} của {name}. Mọi lớp ranh giới có sẵn trong bkmap đều cần ghi nguồn và giấy phép ở đó.",
        "en": "{table}: no row for {name} layer {layer!r}. Every shipped boundary layer needs its source and licence there.",
    },
    "bnd_no_features": {
        "vi": "{source}: lớp dữ liệu không có đối tượng nào. Hãy xuất lại lớp kèm các xã, hoặc kiểm tra --layer nếu tệp có nhiều lớp.",
        "en": "{source}: the layer has no features. Export it again with its communes, or check --layer if the file holds several layers.",
    },
    "bnd_none": {
        "vi": "không có",
        "en": "none",
    },
    "bnd_no_column": {
        "vi": "không có cột {column!r} (các cột có: {found}; các tên được chấp nhận: {accepted}, ...). Hãy đổi tên cột, hoặc thêm cột.",
        "en": "no {column!r} column (found: {found}; accepted names: {accepted}, ...). Rename the column, or add it.",
    },
    "bnd_schema_header": {
        "vi": "{source}: lớp ranh giới không đúng khuôn dạng của bkmap:",
        "en": "{source}: the boundary layer does not fit bkmap's schema:",
    },
    # ---- gap analysis (bkmap.analysis.gaps)
    "gaps_bad_threshold": {
        "vi": "--threshold {value!r}: hãy cho một tỉ lệ từ 0 đến 1 (ví dụ 0.8).",
        "en": "--threshold {value!r}: give a share between 0 and 1 (for example 0.8).",
    },
    "gaps_stations": {
        "vi": "lớp đài truyền thanh",
        "en": "stations",
    },
    "gaps_where_year": {
        "vi": "năm xây dựng",
        "en": "year",
    },
    "gaps_where_conflicts": {
        "vi": "mâu thuẫn",
        "en": "conflicts",
    },
    # ---- the planner page (bkmap.render.planner) and the report's --gaps folder (bkmap.render.report)
    "plan_page_over_target": {
        "vi": " (vượt mục tiêu 1 MB)",
        "en": " (above the 1 MB target)",
    },
    "plan_page_grid_exact": {
        "vi": "chính xác",
        "en": "exact",
    },
    "plan_page_grid_step": {
        "vi": "bước bằng hoặc ngay dưới ngân sách yêu cầu",
        "en": "the step at or below the budget asked",
    },
    "plan_page_summary": {
        "vi": "{settings} thiết lập (chính sách x p x mục tiêu), mỗi thiết lập {budgets} bước ngân sách {step} đồng ({grid}) và 0-{stations} đài, tính sẵn trong {seconds} giây",
        "en": "{settings} settings (policy x p x objective), {budgets} budget steps of {step} VND ({grid}) and 0-{stations} stations each, precomputed in {seconds} s",
    },
    "plan_page_village_summary": {
        "vi": "mô hình thôn (MCLP, bán kính {radius} m): 0-{sites} điểm mới, {villages} thôn",
        "en": "village model (MCLP, radius {radius} m): 0-{sites} new sites, {villages} villages",
    },
    "plan_page_conflicting": {
        "vi": "{count} xã có nguồn mâu thuẫn về 8.3 ({named}) được lập kế hoạch như chưa rõ",
        "en": "{count} commune(s) whose sources conflict on 8.3 ({named}) are planned for as unknown",
    },
    "plan_page_conflicting_fix": {
        "vi": "Kiểm tra thực địa các xã này trước.",
        "en": "Check them on the ground first.",
    },
    "plan_page_source": {
        "vi": "trang lập kế hoạch",
        "en": "planner",
    },
    "plan_page_where_costs": {
        "vi": "chi phí",
        "en": "costs",
    },
    "plan_page_solver_points": {
        "vi": "chi phí các đài chia thành quá nhiều mức để so sánh trực tiếp: {points} điểm đã được giải bằng bài toán quy hoạch nguyên",
        "en": "the station costs fall in too many classes for the direct comparison: {points} points were solved with the integer program",
    },
    # ---- the report's --gaps folder (bkmap.render.report)
    "word_and": {
        "vi": " và ",
        "en": " and ",
    },
    "rep_no_gaps_folder": {
        "vi": "--gaps {folder}: không có thư mục này. Hãy tạo nó trước bằng `bkmap gaps --out {folder}`, rồi đưa chính thư mục đó vào --gaps.",
        "en": "--gaps {folder}: no such folder. Write it first with `bkmap gaps --out {folder}`, then give the same folder to --gaps.",
    },
    "rep_gaps_missing": {
        "vi": "--gaps {folder}: thiếu {missing}. Thư mục phải là kết quả của `bkmap gaps --out {folder}`; hãy chạy lại lệnh đó.",
        "en": "--gaps {folder}: {missing} missing. The folder must be the output of `bkmap gaps --out {folder}`; run that command again.",
    },
    "rep_gaps_no_column": {
        "vi": "không có cột {column!r} (các cột có: {found}). Hãy ghi lại tệp bằng `bkmap gaps --out {folder}`.",
        "en": "no {column!r} column (found: {found}). Write the file again with `bkmap gaps --out {folder}`.",
    },
    "rep_gaps_header": {
        "vi": "{path}: không phải danh sách xã còn thiếu do bkmap gaps tạo ra:",
        "en": "{path}: not a gap list from bkmap gaps:",
    },
    "rep_bad_geojson": {
        "vi": "{path}: không phải GeoJSON hợp lệ ({detail}). Hãy chạy lại `bkmap gaps --out {folder}`.",
        "en": "{path}: not valid GeoJSON ({detail}). Run `bkmap gaps --out {folder}` again.",
    },
    "rep_not_collection": {
        "vi": "{path}: không phải một GeoJSON FeatureCollection. Hãy chạy lại `bkmap gaps --out {folder}`.",
        "en": "{path}: not a GeoJSON FeatureCollection. Run `bkmap gaps --out {folder}` again.",
    },
    # ---- display shapes (bkmap.geo.simplify)
    "simp_where_map": {
        "vi": "bản đồ",
        "en": "map",
    },
    "simp_cache_reused": {
        "vi": "dùng lại các hình hiển thị trong bộ nhớ đệm ({folder}), đã được chuẩn bị trước đó từ cùng các hình với cùng thiết lập",
        "en": "display shapes reused from the cache ({folder}), prepared earlier from the same shapes with the same settings",
    },
    "simp_cache_reused_fix": {
        "vi": "Dùng --no-cache để chuẩn bị lại từ đầu.",
        "en": "Give --no-cache to prepare them afresh.",
    },
    "simp_rings_dropped": {
        "vi": "{count} vòng hẹp hơn lưới toạ độ của bản đồ ({grid}°) đã không được vẽ",
        "en": "{count} ring(s) narrower than the map's coordinate grid ({grid}°) were left out of the drawing",
    },
    "simp_collapsed": {
        "vi": "; {count} hình lẽ ra biến mất hoàn toàn được vẽ thành một ô lưới",
        "en": "; {count} shape(s) that would vanish whole are drawn as one grid cell",
    },
    "simp_rings_dropped_fix": {
        "vi": "Không cần làm gì: phân tích dùng hình đầy đủ; các vòng này quá nhỏ để thấy trên bản đồ.",
        "en": "Nothing to do: analysis uses the full shapes; they are too small to see on the map.",
    },
    "simp_repaired": {
        "vi": "{count} vùng không hợp lệ đã được sửa bằng make_valid trước khi đơn giản hoá để hiển thị",
        "en": "{count} invalid polygon(s) repaired with make_valid before simplifying for display",
    },
    "simp_repaired_fix": {
        "vi": "Sửa các vùng trong phần mềm GIS (bkmap check liệt kê chúng) để hết cảnh báo này.",
        "en": "Fix the polygons in your GIS (bkmap check lists them) to silence this.",
    },
    "simp_not_coverage": {
        "vi": "không đơn giản hoá được các hình như một lớp phủ kín ({detail}); mỗi hình được đơn giản hoá riêng, làm hở {gaps} khe ({area} km²) giữa các vùng kề nhau trên bản đồ",
        "en": "shapes could not be simplified as one coverage ({detail}); each was simplified alone, which opened {gaps} gap(s) ({area} km²) between neighbours on the map",
    },
    "simp_not_coverage_fix": {
        "vi": "Sửa lớp dữ liệu (bkmap check, rồi --clean) để vẽ không có khe hở.",
        "en": "Repair the layer (bkmap check, then --clean) to draw it without gaps.",
    },
    # ---- printing (bkmap.render.printing)
    "print_bad_type": {
        "vi": "--out {path}: không hỗ trợ loại tệp {suffix!r}. Dùng .png hoặc .pdf.",
        "en": "--out {path}: unsupported file type {suffix!r}. Use .png or .pdf.",
    },
    "print_bad_paper": {
        "vi": "--paper {paper!r}: không biết khổ giấy này. Dùng một trong: {papers}.",
        "en": "--paper {paper!r}: unknown paper size. Use one of {papers}.",
    },
    "print_bad_dpi": {
        "vi": "--dpi {dpi}: hãy chọn độ phân giải từ 50 đến 1200 (300 để in).",
        "en": "--dpi {dpi}: choose a resolution between 50 and 1200 (300 for print).",
    },
    "print_no_communes": {
        "vi": "bản đồ không có xã nào để vẽ; kiểm tra --status và --boundaries.",
        "en": "the map has no communes to draw; check --status and --boundaries.",
    },
    # ---- shipped data (bkmap.datasets, bkmap.io.status)
    "data_in_archive": {
        "vi": "{what}: dữ liệu của bkmap nằm trong một tệp nén ({item}). Hãy cài bkmap bằng pip như một wheel thông thường.",
        "en": "{what}: bkmap's data is inside an archive ({item}). Install bkmap with pip as a normal wheel.",
    },
    "data_missing": {
        "vi": "{what}: thiếu tệp {item} đi kèm bkmap. Hãy cài lại bkmap (pip install --force-reinstall bkmap).",
        "en": "{what}: the shipped file {item} is missing. Reinstall bkmap (pip install --force-reinstall bkmap).",
    },
    "data_no_status": {
        "vi": "không có bảng tình trạng đi kèm cho ngày {as_of}. Các ngày đánh giá có sẵn: {dates}.",
        "en": "no shipped status table for {as_of}. Shipped assessment dates: {dates}.",
    },
    "data_no_example": {
        "vi": "không có lớp ví dụ {name!r}. Các ví dụ: {examples}.",
        "en": "no example layer {name!r}. Examples: {examples}.",
    },
    "data_shipped_status": {
        "vi": "bảng tình trạng đi kèm {name}",
        "en": "shipped status table {name}",
    },
    # ---- comparing assessments (bkmap.versions.compare)
    "cmp_only_first": {
        "vi": "các đơn vị chỉ có trong lần đánh giá thứ nhất: {codes}",
        "en": "units only in the first assessment: {codes}",
    },
    "cmp_only_second": {
        "vi": "các đơn vị chỉ có trong lần đánh giá thứ hai: {codes}",
        "en": "units only in the second assessment: {codes}",
    },
    "cmp_same_version": {
        "vi": "hãy so sánh cả hai trên cùng một phiên bản đơn vị hành chính (--on).",
        "en": "compare both on the same version of the units (--on).",
    },
    "cmp_header": {
        "vi": "không so sánh được hai lần đánh giá:",
        "en": "the two assessments cannot be compared:",
    },
    # ---- coverage line (bkmap.geo.repair), illustrative layers (bkmap.io.record)
    "cov_line": {
        "vi": "{features} vùng, {area} km²; chồng lấn {overlap} km² ({overlap_share}, {pairs} cặp); khe hở {gap} km² ({gap_share}, {holes} lỗ)",
        "en": "{features} polygons, {area} km²; overlaps {overlap} km² ({overlap_share}, {pairs} pairs); gaps {gap} km² ({gap_share}, {holes} holes)",
    },
    "cov_cleaned": {
        "vi": "; đã làm sạch bằng --clean: các xã được thêm {gained} km² và bớt {lost} km² ({moved} diện tích bị dịch chuyển); còn lại: chồng lấn {overlap} km², khe hở {gap} km²",
        "en": "; cleaned with --clean: communes gained {gained} km² and lost {lost} km² ({moved} of the area moved); left: overlaps {overlap} km², gaps {gap} km²",
    },
    "rec_illustrative": {
        "vi": "lớp này chỉ mang tính minh hoạ (được tạo ra để trình diễn), không phải dữ liệu thật; mọi kết quả tạo từ nó đều ghi rõ điều này",
        "en": "this layer is illustrative (made up for demonstrations), not real data; every output made from it says so",
    },
    # ---- versions, coordinate systems, GeoJSON text, matching by version
    "ver_only_one": {
        "vi": "chỉ dùng một trong các tuỳ chọn --on, --crosswalk và --disagreement.",
        "en": "give only one of --on, --crosswalk and --disagreement.",
    },
    "ver_whole_needs_on": {
        "vi": "--whole-province liệt kê cả 92 đơn vị của Thái Nguyên khi dùng --on 2025-07-01; hãy thêm --on.",
        "en": "--whole-province lists all 92 units of Thái Nguyên with --on 2025-07-01; give --on.",
    },
    "ver_backwards": {
        "vi": "crosswalk: {to!r} có trước {frm!r}; hãy cho phiên bản cũ hơn trước.",
        "en": "crosswalk: {to!r} comes before {frm!r}; give the older version first.",
    },
    "crs_not_crs": {
        "vi": "{source}: {value!r} không phải một hệ toạ độ ({detail}). Hãy cho một mã EPSG (EPSG:4326, EPSG:3405 cho VN-2000 / UTM 48N, EPSG:3406 cho UTM 49N) hoặc một trong: {aliases}.",
        "en": "{source}: {value!r} is not a coordinate system ({detail}). Give an EPSG code (EPSG:4326, EPSG:3405 for VN-2000 / UTM 48N, EPSG:3406 for UTM 49N) or one of {aliases}.",
    },
    "crs_declared_nothing_fits": {
        "vi": "{source}: theo hệ toạ độ khai báo {declared} lớp dữ liệu nằm ngoài {area} ({range}), và không cách đọc nào khác đặt nó vào đó ({tried}). Hãy kiểm tra tệp có phủ {area} không, sửa tệp .prj, hoặc chỉ định hệ toạ độ bằng --crs.",
        "en": "{source}: under its declared {declared} the layer lies outside {area} ({range}), and no other reading puts it there ({tried}). Check that the file covers {area}, fix its .prj, or give its coordinate system with --crs.",
    },
    "crs_undeclared_nothing_fits": {
        "vi": "{source}: lớp dữ liệu không khai báo hệ toạ độ (không có .prj), và toạ độ của nó ({range}) không khớp với hệ nào trong các hệ có thể dùng ở {area} ({tried}). Hãy chỉ định hệ toạ độ bằng --crs (ví dụ --crs EPSG:3405 cho VN-2000 / UTM 48N, --crs vn2000-tm3 cho múi TM-3 của tỉnh, kinh tuyến trục 106°30', --crs EPSG:4326 cho toạ độ độ), hoặc xuất lại lớp kèm tệp .prj.",
        "en": "{source}: the layer declares no coordinate system (no .prj), and its coordinates ({range}) fit none of the candidates inside {area} ({tried}). Give its coordinate system with --crs (for example --crs EPSG:3405 for VN-2000 / UTM 48N, --crs vn2000-tm3 for the provincial TM-3 zone 106°30', --crs EPSG:4326 for degrees), or export the layer again with its .prj.",
    },
    "vec_nul": {
        "vi": "{path}: dòng {line}: một đoạn văn bản chứa ký tự NUL (\\u0000), ký tự này sẽ cắt ngắn văn bản tại đó. Hãy xoá nó khỏi tệp.",
        "en": "{path}: line {line}: a text holds a NUL character (\\u0000), which would cut it short there. Remove it from the file.",
    },
    "match_other_version": {
        "vi": "{source}: bảng liệt kê các đơn vị của {best} ({best_share} số dòng khớp với chúng theo mã và tên, {share} khớp với các đơn vị của {version} đang được lập bản đồ). Tổng cục Thống kê dùng lại mã giữa các phiên bản, nên giá trị sẽ rơi vào nhầm xã. Hãy dùng --on {best} (các đơn vị có hiệu lực từ {day}) để lập bản đồ.",
        "en": "{source}: the table lists the units of {best} ({best_share} of its rows match them by code and name, {share} match the units of {version} being mapped). GSO reuses codes across versions, so its values would land on the wrong communes. Give --on {best} (the units in force from {day}) to map them.",
    },
    # ---- command-line values (bkmap.cli), the dask path, languages
    "cli_bad_radius": {
        "vi": "{value!r}: hãy viết TECH=METRES, trong đó TECH là tên công nghệ vô tuyến gồm chữ cái, chữ số, '-' hoặc '_', và METRES là một số dương (số mét), ví dụ --radius LTE=3000.",
        "en": "{value!r}: write TECH=METRES, TECH a radio name of letters, digits, '-' or '_' and METRES a positive number, e.g. --radius LTE=3000.",
    },
    "cli_need_values": {
        "vi": "hãy cho một hoặc nhiều giá trị, cách nhau bằng dấu phẩy",
        "en": "give one or more values separated by commas",
    },
    "cli_need_codes": {
        "vi": "hãy cho một hoặc nhiều mã, cách nhau bằng dấu phẩy",
        "en": "give one or more codes separated by commas",
    },
    "cli_bad_limit": {
        "vi": "{item!r}: hãy viết NAME=VALUE với VALUE là một số dương; các tên là {names} (ví dụ --limit rows=5000000).",
        "en": "{item!r}: write NAME=VALUE with a positive number; the names are {names} (e.g. --limit rows=5000000).",
    },
    "dask_missing": {
        "vi": "nhánh tính toán dask cần dask-geopandas và distributed: {install}",
        "en": "the dask path needs dask-geopandas and distributed: {install}",
    },
    "dask_unreachable": {
        "vi": "--dask {scheduler}: không kết nối được tới bộ lập lịch dask ở đó ({detail}). Hãy khởi động một bộ lập lịch bằng `dask scheduler` (và các worker bằng `dask worker ADDRESS`), hoặc dùng --dask local.",
        "en": "--dask {scheduler}: cannot reach a dask scheduler there ({detail}). Start one with `dask scheduler` (and workers with `dask worker ADDRESS`), or use --dask local.",
    },
    "lang_unsupported": {
        "vi": "--lang: không hỗ trợ {value!r}. Dùng một trong: {langs}.",
        "en": "--lang: {value!r} is not supported. Use one of: {langs}.",
    },
    # ---- NUL characters in a GeoPackage (bkmap.io.vector)
    "vec_gpkg_nul_header": {
        "vi": "{path}: văn bản chứa ký tự NUL, ký tự này sẽ làm văn bản bị cắt ngắn:",
        "en": "{path}: text holding a NUL character, which would cut it short:",
    },
    "vec_gpkg_nul": {
        "vi": "{place}. Hãy xoá ký tự này.",
        "en": "{place}. Remove it.",
    },
    "vec_gpkg_nul_place": {
        "vi": "lớp {layer}, đối tượng {feature}, trường {field}",
        "en": "layer {layer}, feature {feature}, field {field}",
    },
    # ---- crosswalk method
    "ver_bad_method": {
        "vi": "crosswalk: không biết phương pháp method={method!r}. Dùng 'lineage' hoặc 'overlay'.",
        "en": "crosswalk: method={method!r} is unknown. Use 'lineage' or 'overlay'.",
    },
    # ---- click's value checks, in Vietnamese (bkmap.cli.main)
    "cli_not_in_range": {
        "vi": "{value} nằm ngoài khoảng {range}.",
        "en": "{value} is not in the range {range}.",
    },
    "cli_not_integer": {
        "vi": "{value} không phải một số nguyên.",
        "en": "{value} is not a valid integer.",
    },
    "cli_not_float": {
        "vi": "{value} không phải một số.",
        "en": "{value} is not a valid float.",
    },
    "cli_is_directory": {
        "vi": "{path} là một thư mục, cần một tệp.",
        "en": "{path} is a directory.",
    },
    "cli_is_file": {
        "vi": "{path} là một tệp, cần một thư mục.",
        "en": "{path} is a file.",
    },
    # ---- click's help layout (bkmap.cli.main)
    "cli_heading_options": {
        "vi": "Tuỳ chọn",
        "en": "Options",
    },
    "cli_heading_commands": {
        "vi": "Lệnh",
        "en": "Commands",
    },
    "cli_heading_arguments": {
        "vi": "Đối số",
        "en": "Positional arguments",
    },
    "cli_help_option": {
        "vi": "Hiện hướng dẫn này rồi thoát.",
        "en": "Show this message and exit.",
    },
    "cli_default": {
        "vi": "[mặc định: {value}]",
        "en": "[default: {value}]",
    },
    "cli_required": {
        "vi": "[bắt buộc]",
        "en": "[required]",
    },
    # ---- log lines at the default verbosity (bkmap.render.report, bkmap.cli.main)
    "rep_layer_left_out": {
        "vi": "{path}: {count} đối tượng, nhiều hơn {most}; không đưa vào báo cáo để giữ báo cáo gọn nhẹ",
        "en": "{path}: {count} features, more than {most}; left out of the report to keep it small",
    },
    "rep_over_size": {
        "vi": "báo cáo có {size} byte, vượt mục tiêu {target} byte",
        "en": "the report is {size} bytes, above the {target}-byte target",
    },
    "log_WARNING": {
        "vi": "CẢNH BÁO",
        "en": "WARNING",
    },
    "log_ERROR": {
        "vi": "LỖI",
        "en": "ERROR",
    },
    "log_CRITICAL": {
        "vi": "LỖI NGHIÊM TRỌNG",
        "en": "CRITICAL",
    },
    # ---- where data came from, as a message names it
    "src_shipped_national": {
        "vi": "lớp toàn quốc năm 2009 đi kèm bkmap",
        "en": "shipped national layer of 2009",
    },
    "src_shipped_boundaries": {
        "vi": "ranh giới {version} đi kèm bkmap",
        "en": "shipped boundaries of {version}",
    },
    "src_boundaries": {
        "vi": "ranh giới",
        "en": "boundaries",
    },
    # ---- the dask read of a cell CSV (bkmap.io.points)
    "dask_not_csv": {
        "vi": "{path}: nhánh dask chỉ đọc tệp CSV UTF-8 có cột lon/lat, không đọc tệp {suffix}. Hãy chạy không có --dask để đọc tệp này.",
        "en": "{path}: the dask path reads UTF-8 CSV files with lon/lat columns, not {suffix} files. Run without --dask to read it.",
    },
    "dask_legacy_encoding": {
        "vi": "{path}: văn bản của tệp dùng bảng mã {encoding}; nhánh dask chỉ đọc tệp CSV UTF-8 có cột lon/lat. Hãy chuyển tệp sang UTF-8, hoặc chạy không có --dask.",
        "en": "{path}: its text is in {encoding}; the dask path reads UTF-8 CSV files with lon/lat columns. Convert it to UTF-8, or run without --dask.",
    },
    "dask_no_lon_lat": {
        "vi": "{path}: không có cột lon/lat (các cột: {columns}); nhánh dask chỉ đọc tệp CSV UTF-8 có cột lon/lat.",
        "en": "{path}: no lon/lat columns (columns: {columns}); the dask path reads UTF-8 CSV files with lon/lat columns.",
    },
    "dask_not_degrees": {
        "vi": "{path}: các cột lon/lat không đọc ra kinh độ/vĩ độ ({why}); nhánh dask chỉ đọc tệp CSV UTF-8 có cột lon/lat theo độ. Hãy chạy không có --dask.",
        "en": "{path}: its lon/lat columns do not read as longitude/latitude ({why}); the dask path reads UTF-8 CSV files with lon/lat columns. Run without --dask.",
    },
}
