"""The command line's help texts (``bkmap ... --help``), in Vietnamese and English.

One catalogue with the console's messages (merged into :mod:`bkmap.i18n`). The English
text of each entry is the ``help=`` (or docstring) written beside the option or command in
:mod:`bkmap.cli`; :func:`bkmap.cli.main.localised_help` shows the Vietnamese one in its place
when the console speaks Vietnamese. tests/test_i18n.py checks that every help text of the
command line has its entry here, word for word.
"""

from __future__ import annotations

__all__ = ["HELP"]

HELP: dict[str, dict[str, str]] = {
    "help_bkmap_help": {
        "vi": "Lập bản đồ các xã của Bắc Kạn theo tiêu chí số 8 của chương trình NTM (Thông tin và Truyền thông).\n\nGhép ranh giới các xã với bảng tình trạng tiêu chí của từng xã, phân tích các\nchỗ còn thiếu vùng phủ, lập kế hoạch xây đài truyền thanh mới, và vẽ bản đồ\nphân tầng màu cùng các báo cáo. Nhãn mặc định bằng tiếng Việt (--lang en cho tiếng Anh).\n",
        "en": "Map the communes of Bắc Kạn on NTM criterion 8 (information and communications).\n\n    Joins commune boundaries to a table of each commune's criterion status,\n    analyses coverage gaps, plans new radio stations, and draws choropleth\n    maps and reports. Labels are Vietnamese by default (--lang en for English).\n    ",
    },
    "help_bkmap_epilog": {
        "vi": "\x08\nVí dụ:\n  bkmap map                              bản đồ tiêu chí 8 mặc định (đơn vị năm 2019)\n  bkmap map --lang en --out map_en.html  cùng bản đồ đó bằng tiếng Anh\n  bkmap map --status my_table.xlsx --report matches.csv\n  bkmap template --out bang_tieu_chi_8.xlsx\n",
        "en": "\x08\nExamples:\n  bkmap map                              the default criterion-8 map (2019 units)\n  bkmap map --lang en --out map_en.html  the same map in English\n  bkmap map --status my_table.xlsx --report matches.csv\n  bkmap template --out bang_tieu_chi_8.xlsx\n",
    },
    "help_bkmap_verbose": {
        "vi": "Ghi nhật ký chi tiết hơn (-vv để gỡ lỗi).",
        "en": "More log output (-vv for debug).",
    },
    "help_bkmap_quiet": {
        "vi": "Ghi nhật ký ít hơn.",
        "en": "Less log output.",
    },
    "help_bkmap_limits": {
        "vi": "Nâng một giới hạn về lượng dữ liệu bkmap đọc vào (dùng nhiều lần được, hoặc cách nhau bằng dấu phẩy trong BKMAP_LIMITS): xlsx-bytes (200000000, nội dung .xlsx khi giải nén), xlsx-ratio (100, tỉ lệ nén của một phần lớn hơn 10 MB), rows (2000000 dòng mỗi bảng), field-chars (10000 ký tự mỗi ô hoặc thuộc tính).",
        "en": "Raise a limit on what readers take in (repeatable, or comma-separated in BKMAP_LIMITS): xlsx-bytes (200000000, uncompressed .xlsx content), xlsx-ratio (100, compression of a part above 10 MB), rows (2000000 per table), field-chars (10000 per cell or attribute).",
    },
    "help_bkmap_lang": {
        "vi": "Ngôn ngữ của thông báo và nhãn cho mọi lệnh: vi (tiếng Việt, mặc định) hoặc en (tiếng Anh). BKMAP_CONSOLE_LANG đặt ngôn ngữ mặc định của thông báo.",
        "en": "Language of messages and labels for every command: vi (Vietnamese, the default) or en (English). BKMAP_CONSOLE_LANG sets the messages' default.",
    },
    "help_bkmap_version": {
        "vi": "Hiện phiên bản rồi thoát.",
        "en": "Show the version and exit.",
    },
    "help_check_help": {
        "vi": "Kiểm tra các tệp ranh giới, bảng tình trạng và lớp điểm, và báo cáo mọi vấn đề.\n\nBáo cáo bảng mã văn bản và hệ toạ độ (tự nhận biết hoặc theo khai báo), các lỗi\nhình học, khe hở và chồng lấn, mã và tên trùng, các mã không phải đơn vị vào\nngày đã chọn (--on), các đơn vị thiếu trong tệp, và các tên không khớp với đơn\nvị nào, kèm gợi ý. Các tệp chỉ được đọc, không bị sửa.\n\nMã thoát: 0 sạch, 1 chỉ có cảnh báo, 2 có lỗi.\n",
        "en": "Check boundary files, status tables and point layers, and report every problem.\n\n    Reports the text encoding and coordinate system (detected or declared),\n    geometry problems, gaps and overlaps, duplicate codes and names, codes that\n    are not units on the date (--on), units missing from the file, and names\n    that match no unit, with candidates. Files are only read.\n\n    Exit status: 0 clean, 1 warnings only, 2 errors.\n    ",
    },
    "help_check_on": {
        "vi": "Các đơn vị có hiệu lực vào ngày này (YYYY-MM-DD) hoặc theo phiên bản (2019, 2020, 2023, 2025). Mặc định: các đơn vị năm 2019 của lần đánh giá.",
        "en": "Units in force on this date (YYYY-MM-DD) or version (2019, 2020, 2023, 2025). Default: the 2019 units of the assessment.",
    },
    "help_check_encoding": {
        "vi": "Chỉ định bảng mã văn bản (utf-8, cp1258, tcvn3, vni, cp1252). Mặc định: tự nhận biết.",
        "en": "Force the text encoding (utf-8, cp1258, tcvn3, vni, cp1252). Default: detected.",
    },
    "help_check_crs": {
        "vi": "Hệ toạ độ cho các tệp không khai báo hệ nào, hoặc khai báo một hệ không khớp (EPSG:4326, EPSG:3405, EPSG:3406, vn2000-tm3). Hệ toạ độ đã khai báo mà khớp thì được giữ. Mặc định: theo tệp .prj, hoặc tự nhận biết.",
        "en": "Coordinate system for files that declare none, or one that does not fit (EPSG:4326, EPSG:3405, EPSG:3406, vn2000-tm3). A declared CRS that fits is kept. Default: the .prj, or detected.",
    },
    "help_check_layer": {
        "vi": "Lớp cần đọc trong một tệp có nhiều lớp.",
        "en": "Layer of a multi-layer file.",
    },
    "help_check_fmt": {
        "vi": "In báo cáo dạng văn bản, hoặc dạng JSON cho các chương trình.",
        "en": "Print the report as text, or as JSON for scripts.",
    },
    "help_check_out": {
        "vi": "Ghi thêm báo cáo vào tệp này (ghi trọn vẹn một lần).",
        "en": "Also write the report to this file (written atomically).",
    },
    "help_compare_help": {
        "vi": 'So sánh hai lần đánh giá trên cùng một phiên bản đơn vị hành chính, và cho thấy những gì đã thay đổi.\n\nCả hai được chuyển sang các đơn vị có hiệu lực vào ngày --on DATE (mặc định:\ncác đơn vị năm 2019). Trang có một lớp cho mỗi ngày và mỗi chỉ tiêu, một lớp\n"thay đổi" khoanh viền từng đơn vị đã thay đổi, và một bảng các thay đổi.\nTrang dùng được khi không có mạng.\n',
        "en": 'Compare two assessments on one version of the units, and show what changed.\n\n    Both are carried to the units in force --on DATE (default: the 2019\n    units). The page has a layer per date and per indicator, a "changes"\n    layer outlining each unit that changed, and a table of the changes.\n    It works offline.\n    ',
    },
    "help_compare_as_of": {
        "vi": "Ngày đánh giá của một bảng tình trạng đi kèm bkmap; cho hai lần (ngày cũ trước), ví dụ --as-of 2018-07-31 --as-of 2019-08-12 (mặc định).",
        "en": "Assessment date of a shipped status table; give it twice (older first), e.g. --as-of 2018-07-31 --as-of 2019-08-12 (the default).",
    },
    "help_compare_status": {
        "vi": "Một bảng tình trạng (CSV/xlsx) theo các đơn vị năm 2019 thay cho một ngày có sẵn; cho hai lần, bảng cũ trước, hoặc một lần cùng với một --as-of (bảng của --as-of được vẽ trước).",
        "en": "A status table (CSV/xlsx) of the 2019 units instead of a shipped date; give it twice, older first, or once together with one --as-of (the --as-of one is drawn first).",
    },
    "help_compare_whole_province": {
        "vi": "Khi dùng --on 2025-07-01: cả 92 đơn vị của Tỉnh Thái Nguyên.",
        "en": "With --on 2025-07-01: all 92 units of Tỉnh Thái Nguyên.",
    },
    "help_compare_out": {
        "vi": "Nơi ghi bản đồ HTML.",
        "en": "Where to write the HTML map.",
    },
    "help_compare_table_path": {
        "vi": "Ghi thêm bảng thay đổi (mỗi đơn vị một dòng) dưới dạng CSV.",
        "en": "Also write the change table (one row per unit) as CSV.",
    },
    "help_compare_tiles": {
        "vi": "Thêm bản đồ nền OpenStreetMap (cần mạng). Mặc định tắt, để trang dùng được khi không có mạng.",
        "en": "Add an OpenStreetMap basemap (needs a network). Off by default, so pages work with no network.",
    },
    "help_compare_lang": {
        "vi": "Ngôn ngữ của nhãn và thông báo: vi (tiếng Việt, mặc định) hoặc en (tiếng Anh).",
        "en": "Language of labels and messages: vi (Vietnamese, the default) or en (English).",
    },
    "help_export_help": {
        "vi": "Ghi các xã kèm mọi cột tình trạng và nguồn thành các lớp GIS (cho QGIS).\n\nCác lớp: luôn có communes và sources; có thêm gaps, gap_measures, stations,\nstations_later, covered_area, uncovered_villages, postal và conflicts khi có\nmột lớp điểm hoặc --gaps; có plan và plan_communes khi dùng --budget hoặc\n--plan-stations. Ví dụ:\n\n\x08\n  bkmap export --out bac_kan.gpkg\n  bkmap export --out bac_kan.gpkg --stations stations.geojson --budget 5e9\n  bkmap export --format shp --out bac_kan_shp.zip\n",
        "en": "Write the communes with every status column and source as GIS layers (QGIS).\n\n    Layers: communes and sources always; gaps, gap_measures, stations,\n    stations_later, covered_area, uncovered_villages, postal and conflicts when\n    a point layer or --gaps is given; plan and plan_communes with --budget or\n    --plan-stations. Examples:\n\n    \x08\n      bkmap export --out bac_kan.gpkg\n      bkmap export --out bac_kan.gpkg --stations stations.geojson --budget 5e9\n      bkmap export --format shp --out bac_kan_shp.zip\n    ",
    },
    "help_export_status": {
        "vi": "Bảng tình trạng (CSV hoặc .xlsx, tiêu đề tiếng Việt hoặc tiếng Anh). Mặc định: bảng năm 2019 đi kèm bkmap.",
        "en": "Status table (CSV or .xlsx, Vietnamese or English headers). Default: the shipped 2019 table.",
    },
    "help_export_as_of": {
        "vi": "Ngày đánh giá của bảng tình trạng đi kèm: 2019-08-12 (mặc định) hoặc 2018-07-31.",
        "en": "Assessment date of the shipped status table: 2019-08-12 (default) or 2018-07-31.",
    },
    "help_export_boundaries": {
        "vi": "Tệp ranh giới xã (GeoPackage, GeoJSON, shapefile). Mặc định: lớp đi kèm bkmap.",
        "en": "Commune boundary file (GeoPackage, GeoJSON, shapefile). Default: the shipped layer.",
    },
    "help_export_province": {
        "vi": "Lập bản đồ một tỉnh của lớp toàn quốc (ví dụ \"Thái Nguyên\"), hoặc 'all' cho cả nước. Ngoài Bắc Kạn, mọi đơn vị đều là chưa rõ trừ khi --status đưa vào một bảng.",
        "en": "Map one province of a national layer (e.g. \"Thái Nguyên\"), or 'all' for the whole country. Outside Bắc Kạn every unit is unknown unless --status gives a table.",
    },
    "help_export_national": {
        "vi": "Lớp xã toàn quốc cho --province (các cột code, name, province, district). Mặc định: lớp năm 2009 đi kèm bkmap (11.163 xã; mã của nó là mã đối tượng của lớp, không phải mã ĐVHC).",
        "en": "National commune layer for --province (columns code, name, province, district). Default: the shipped 2009 layer (11,163 communes; its codes are layer ids, not GSO codes).",
    },
    "help_export_columns": {
        "vi": "Khi dùng --national: các cột nào của tệp chứa các cột chuẩn, ví dụ code=ma_xa,name=ten_xa,district=huyen,province=tinh.",
        "en": "With --national: which of its columns hold the schema's, e.g. code=ma_xa,name=ten_xa,district=huyen,province=tinh.",
    },
    "help_export_layer": {
        "vi": "Lớp cần đọc trong một tệp ranh giới có nhiều lớp.",
        "en": "Layer of a multi-layer boundary file.",
    },
    "help_export_crs": {
        "vi": "Hệ toạ độ của tệp ranh giới khi tệp không khai báo hệ nào, hoặc khai báo một hệ đặt nó ra ngoài Bắc Kạn: EPSG:4326, EPSG:3405 (VN-2000 / UTM 48N), EPSG:3406 (UTM 49N), vn2000-tm3 (Bắc Kạn TM-3 106°30'). Hệ toạ độ đã khai báo (.prj) mà khớp thì được giữ, và bkmap có báo điều đó. Mặc định: theo tệp .prj, hoặc tự nhận biết khi không có.",
        "en": "Coordinate system of the boundary file when it declares none, or one that puts it outside Bắc Kạn: EPSG:4326, EPSG:3405 (VN-2000 / UTM 48N), EPSG:3406 (UTM 49N), vn2000-tm3 (Bắc Kạn TM-3 106°30'). A declared CRS (.prj) that fits is kept, and bkmap says so. Default: the .prj, or detected when there is none.",
    },
    "help_export_clean": {
        "vi": "Loại bỏ khe hở và chồng lấn giữa các xã (làm sạch lớp phủ kín bằng GEOS) và báo cáo diện tích bị dịch chuyển.",
        "en": "Remove gaps and overlaps between communes (GEOS coverage cleaning) and report the area moved.",
    },
    "help_export_encoding": {
        "vi": "Chỉ định bảng mã văn bản của các tệp đầu vào (bảng CSV, trường của shapefile): utf-8, cp1258, tcvn3 (ABC), vni, cp1252. Mặc định: tự nhận biết từ nội dung.",
        "en": "Force the text encoding of the input files (CSV tables, shapefile fields): utf-8, cp1258, tcvn3 (ABC), vni, cp1252. Default: detected from the content.",
    },
    "help_export_report_path": {
        "vi": "Ghi báo cáo đối chiếu (mỗi dòng đầu vào một dòng, và các đơn vị không có dòng) dưới dạng CSV.",
        "en": "Write the match report (one line per input row, and units without a row) as CSV.",
    },
    "help_export_whole_province": {
        "vi": "Khi dùng --on 2025-07-01: cả 92 đơn vị của Tỉnh Thái Nguyên, không chỉ 37 đơn vị thuộc Bắc Kạn cũ.",
        "en": "With --on 2025-07-01: all 92 units of Tỉnh Thái Nguyên, not only the 37 of former Bắc Kạn.",
    },
    "help_export_out": {
        "vi": "Tệp cần ghi: FILE.gpkg; với --format shp là một thư mục hoặc FILE.zip.",
        "en": "File to write: FILE.gpkg; with --format shp a folder or FILE.zip.",
    },
    "help_export_fmt": {
        "vi": "gpkg: một GeoPackage chứa mọi lớp. shp: mỗi lớp một shapefile, tên trường bị cắt còn 10 ký tự như liệt kê trong fields.csv.",
        "en": "gpkg: one GeoPackage with every layer. shp: one shapefile per layer, field names cut to 10 characters as listed in fields.csv.",
    },
    "help_export_stations": {
        "vi": "Đài truyền thanh xã (điểm): thêm các lớp xã còn thiếu.",
        "en": "Commune radio stations (points): adds gaps.",
    },
    "help_export_cells": {
        "vi": "Trạm di động, định dạng CSV của OpenCelliD: thêm các lớp xã còn thiếu.",
        "en": "Cell sites, OpenCelliD CSV format: adds gaps.",
    },
    "help_export_towers": {
        "vi": "Cột ăng-ten (điểm có radius_m): thêm các lớp xã còn thiếu.",
        "en": "Towers (points with radius_m): adds gaps.",
    },
    "help_export_coverage": {
        "vi": "Vùng phủ sóng (vùng): thêm các lớp xã còn thiếu.",
        "en": "Coverage polygons: adds gaps.",
    },
    "help_export_villages": {
        "vi": "Điểm thôn/bản: thêm các lớp xã còn thiếu.",
        "en": "Village (thôn/bản) points: adds gaps.",
    },
    "help_export_postal": {
        "vi": "Điểm phục vụ bưu chính: thêm các lớp xã còn thiếu.",
        "en": "Postal service points: adds gaps.",
    },
    "help_export_with_gaps": {
        "vi": "Thêm các lớp xã còn thiếu kể cả khi không có lớp điểm nào (chỉ suy ra từ bảng tình trạng).",
        "en": "Add the gap layers even without point layers (gaps from the status table alone).",
    },
    "help_export_threshold": {
        "vi": "Tỉ lệ phủ sóng mà dưới mức đó một xã bị coi là thiếu vùng phủ (như trong bkmap gaps).",
        "en": "Coverage share below which a commune has a coverage gap (as in bkmap gaps).",
    },
    "help_export_radius": {
        "vi": "Bán kính mặc định của các trạm di động không ghi tầm phủ, theo từng công nghệ vô tuyến (như trong bkmap gaps).",
        "en": "Default radius of cell sites without a range, per radio (as in bkmap gaps).",
    },
    "help_export_budget": {
        "vi": "Thêm các lớp kế hoạch: tổng ngân sách (như trong bkmap plan).",
        "en": "Adds the plan layers: total budget (as in bkmap plan).",
    },
    "help_export_plan_stations": {
        "vi": "Thêm các lớp kế hoạch: số đài mới tối đa (bkmap plan --stations; ở đây --stations là lớp đài truyền thanh).",
        "en": "Adds the plan layers: most new stations (bkmap plan --stations; --stations here is the station layer).",
    },
    "help_export_unknown": {
        "vi": "Khi có kế hoạch: cách xử lý các xã chưa rõ 8.3 (như trong bkmap plan).",
        "en": "With the plan: communes with 8.3 unknown (as in bkmap plan).",
    },
    "help_export_probability": {
        "vi": "Khi dùng --unknown probability: như trong bkmap plan.",
        "en": "With --unknown probability: as in bkmap plan.",
    },
    "help_gaps_help": {
        "vi": "Tìm các xã còn thiếu đài truyền thanh, vùng phủ sóng hoặc điểm bưu chính.\n\nDùng cùng dữ liệu mặc định như `bkmap map`. Lớp nào cũng không bắt buộc (GeoJSON,\nGeoPackage, shapefile, hoặc CSV có lon/lat hay x/y VN-2000 kèm --crs, tuỳ chọn\nnày cũng dùng cho mọi lớp không khai báo hệ toạ độ); nếu không có lớp nào, các\nxã còn thiếu được suy ra chỉ từ bảng tình trạng (8.3 chưa đạt hoặc chưa rõ). Ghi\ngaps.csv, gaps.geojson, gaps.xlsx (kèm bảng tổng hợp theo huyện) và\ngaps_map.html vào --out, cùng dropped_rows.csv liệt kê các dòng đầu vào bị loại.\n",
        "en": "Find the communes lacking a radio station, coverage or a postal point.\n\n    Uses the same default data as `bkmap map`. Every layer is optional (GeoJSON,\n    GeoPackage, shapefile, or CSV with lon/lat or VN-2000 x/y + --crs, which also\n    serves any layer that declares no CRS); with none, the\n    gaps come from the status table alone (8.3 not met or unknown). Writes\n    gaps.csv, gaps.geojson, gaps.xlsx (with a district summary) and\n    gaps_map.html into --out, and dropped_rows.csv listing input rows left out.\n    ",
    },
    "help_gaps_out": {
        "vi": "Thư mục chứa gaps.csv, gaps.geojson, gaps.xlsx và gaps_map.html (được tạo nếu chưa có).",
        "en": "Folder for gaps.csv, gaps.geojson, gaps.xlsx and gaps_map.html (created if missing).",
    },
    "help_gaps_stations": {
        "vi": "Đài truyền thanh xã (điểm).",
        "en": "Commune radio stations (points).",
    },
    "help_gaps_cells": {
        "vi": "Trạm di động, định dạng CSV của OpenCelliD.",
        "en": "Cell sites, OpenCelliD CSV format.",
    },
    "help_gaps_towers": {
        "vi": "Cột ăng-ten (điểm có radius_m).",
        "en": "Towers (points with radius_m).",
    },
    "help_gaps_coverage": {
        "vi": "Vùng phủ sóng (ví dụ do nhà mạng cung cấp).",
        "en": "Coverage polygons (e.g. from an operator).",
    },
    "help_gaps_villages": {
        "vi": "Điểm thôn/bản, có thể kèm dân số.",
        "en": "Village (thôn/bản) points, optional population.",
    },
    "help_gaps_postal": {
        "vi": "Điểm phục vụ bưu chính.",
        "en": "Postal service points.",
    },
    "help_gaps_threshold": {
        "vi": "Tỉ lệ phủ sóng (theo dân số; theo diện tích khi không có thôn) mà dưới mức đó một xã bị coi là thiếu vùng phủ.",
        "en": "Coverage share (of population; of area when there are no villages) below which a commune has a coverage gap.",
    },
    "help_gaps_radius": {
        "vi": "Bán kính mặc định của các trạm di động không ghi tầm phủ, theo từng công nghệ vô tuyến (dùng nhiều lần được). Mặc định: GSM=12000 UMTS=4000 LTE=4000 (FAO/OpenCelliD), CDMA=12000 NR=2000.",
        "en": "Default radius of cell sites without a range, per radio (repeatable). Defaults: GSM=12000 UMTS=4000 LTE=4000 (FAO/OpenCelliD), CDMA=12000 NR=2000.",
    },
    "help_gaps_dask_scheduler": {
        "vi": "Đo vùng phủ bằng dask-geopandas: 'local' khởi động một cụm máy cục bộ, hoặc cho địa chỉ của một bộ lập lịch (tcp://host:8786). Cần phần bổ sung dask: pip install 'bkmap[dask]'.",
        "en": "Measure coverage on dask-geopandas: 'local' starts a local cluster, or give a scheduler address (tcp://host:8786). Needs the dask extra: pip install 'bkmap[dask]'.",
    },
    "help_gaps_partitions": {
        "vi": "Khi dùng --dask: số phần chia lớp vùng phủ. Tệp CSV của --cells được chính dask đọc theo từng phần 16 MB, không bao giờ đọc cả tệp trên máy này.",
        "en": "With --dask: how many partitions to split the coverage layer into. A --cells CSV is read by dask itself, in 16 MB partitions, never whole on this machine.",
    },
    "help_map_help": {
        "vi": "Vẽ bản đồ tiêu chí 8: mỗi chỉ tiêu một lớp phân tầng màu, ranh giới huyện, chú giải.\n\nKhi không có tuỳ chọn nào, lệnh vẽ 122 xã năm 2019 với bảng tình trạng đi kèm\n(lần đánh giá ngày 2019-08-12) và ghi ra bkmap_criterion8.html.\n",
        "en": "Draw the criterion-8 map: one choropleth per indicator, districts, legend.\n\n    With no options it draws the 122 communes of 2019 with the shipped status\n    table (assessment of 2019-08-12) and writes bkmap_criterion8.html.\n    ",
    },
    "help_map_no_cache": {
        "vi": "Chuẩn bị lại các hình hiển thị và không lưu gì vào bộ nhớ đệm (mặc định, các hình đã đơn giản hoá của một lớp lớn được giữ trong thư mục bộ nhớ đệm của người dùng, hoặc $BKMAP_CACHE_DIR, và được dùng lại khi cùng lớp đó được vẽ lại với cùng thiết lập).",
        "en": "Prepare the display shapes afresh and cache nothing (by default the simplified shapes of a large layer are kept in the user's cache folder, or $BKMAP_CACHE_DIR, and reused when the same layer is drawn again with the same settings).",
    },
    "help_plan_help": {
        "vi": "Lập kế hoạch xây đài truyền thanh xã mới: xây ở những xã nào, trong phạm vi ngân sách.\n\nGiải phương án tối ưu chính xác (quy hoạch nguyên, PuLP + CBC) và báo cáo kèm\nphương án tham lam để đối chiếu. Một xã được tính khi 8.3 là chỉ tiêu duy nhất\nmà xã còn thiếu. Ví dụ:\n\n\x08\n  bkmap plan --budget 5000000000 --out plan_5bn\n  bkmap plan --stations 20 --unknown probability --probability 0.451\n  bkmap plan --budget 5e9 --compare 5e9,8.3e9 --objective population\n",
        "en": "Plan new commune radio stations: which communes to build in, within a budget.\n\n    Solves the exact optimum (integer program, PuLP + CBC) and reports the\n    greedy heuristic beside it. A commune counts when 8.3 is the only\n    indicator it lacks. Examples:\n\n    \x08\n      bkmap plan --budget 5000000000 --out plan_5bn\n      bkmap plan --stations 20 --unknown probability --probability 0.451\n      bkmap plan --budget 5e9 --compare 5e9,8.3e9 --objective population\n    ",
    },
    "help_plan_out_dir": {
        "vi": "Thư mục ghi plan.csv, plan.xlsx, plan_map.html (và compare.csv/.png).",
        "en": "Folder to write plan.csv, plan.xlsx, plan_map.html (and compare.csv/.png).",
    },
    "help_plan_budget": {
        "vi": "Tổng ngân sách: 5000000000, 5e9, 5bn hoặc '5 tỷ'.",
        "en": "Total budget: 5000000000, 5e9, 5bn or '5 tỷ'.",
    },
    "help_plan_stations": {
        "vi": "Số đài mới tối đa được xây.",
        "en": "Most new stations to build.",
    },
    "help_plan_objective": {
        "vi": "Tối đa hoá số xã đạt tiêu chí 8, dân số của các xã đó, hoặc kết hợp cả hai.",
        "en": "Maximise communes reaching criterion 8, their population, or a mix.",
    },
    "help_plan_weight": {
        "vi": "Khi dùng --objective mix: trọng số của tỉ lệ số xã (tỉ lệ dân số nhận 1 - w).",
        "en": "With --objective mix: weight of the commune share (the population share gets 1 - w).",
    },
    "help_plan_unknown": {
        "vi": "Các xã chưa rõ 8.3: loại ra, coi như cần một đài, hoặc tính mỗi xã theo --probability.",
        "en": "Communes with 8.3 unknown: exclude them, treat them as needing a station, or count each with --probability.",
    },
    "help_plan_probability": {
        "vi": "Khi dùng --unknown probability: xác suất (0-1] để một xã chưa rõ 8.3 thực ra chưa đạt 8.3. 0.451 = 46/102 suy ra từ số liệu công bố năm 2019 (xã có nguồn mâu thuẫn được tính là chưa rõ).",
        "en": "With --unknown probability: chance (0-1] that a commune with 8.3 unknown did not meet 8.3. 0.451 = 46/102 follows from the published 2019 count (a commune whose sources conflict counts as unknown).",
    },
    "help_plan_costs_path": {
        "vi": "Tệp CSV/xlsx có các cột code, cost_vnd: chi phí cho từng xã (thay cho giá trị mặc định).",
        "en": "CSV/xlsx with columns code, cost_vnd: a cost per commune (overrides the defaults).",
    },
    "help_plan_new_cost": {
        "vi": "Chi phí một đài mới. Mặc định 416.666.666 = 5 tỷ đồng / 12 (dòng ngân sách cho 12 đài mới với 5 tỷ đồng trong bài viết của tỉnh ngày 12/08/2019, không phải kế hoạch năm 2019).",
        "en": "Cost of a new station. Default 416,666,666 = 5 bn VND / 12 (the budget line of 12 new stations for 5 bn VND in the province's article of 12/08/2019, not the 2019 plan).",
    },
    "help_plan_upgrade_cost": {
        "vi": "Chi phí nâng cấp một đài đã có nhưng chưa đạt 8.3 (chưa có số liệu công bố; mặc định: bằng chi phí đài mới).",
        "en": "Cost of upgrading a station that exists but does not meet 8.3 (none was published; default: the new-station cost).",
    },
    "help_plan_existing": {
        "vi": "Thêm các xã (mã năm 2019, cách nhau bằng dấu phẩy) đã có đài đang hoạt động.",
        "en": "More communes (2019 codes, comma-separated) that already have a working station.",
    },
    "help_plan_compare_budgets": {
        "vi": "So sánh nhiều mức ngân sách trong một lần chạy, ví dụ 5e9,8.3e9 (mỗi mức giữ nguyên --stations).",
        "en": "Compare budgets in one call, e.g. 5e9,8.3e9 (each keeps --stations).",
    },
    "help_plan_compare_stations": {
        "vi": "So sánh nhiều số đài, ví dụ 12,20 (mỗi số giữ nguyên --budget). Khi dùng cùng --compare: mọi cặp.",
        "en": "Compare station counts, e.g. 12,20 (each keeps --budget). With --compare: every pair.",
    },
    "help_plan_marginal_limit": {
        "vi": "Báo cáo lợi ích của mỗi 1 tỷ đồng tăng thêm từ --budget đến tổng này (mặc định: ngân sách + 5 tỷ khi có ngân sách).",
        "en": "Report the gain of each extra 1 bn VND from --budget up to this total (default: budget + 5 bn when a budget is given).",
    },
    "help_plan_villages": {
        "vi": "Điểm thôn/bản (có thể kèm dân số): thêm mô hình phủ sóng (MCLP).",
        "en": "Village points (thôn/bản, optionally with population): adds the covering model (MCLP).",
    },
    "help_plan_sites": {
        "vi": "Các điểm ứng viên cho mô hình thôn (một lớp đài; đài đang hoạt động = đã có). Mặc định: trung tâm các xã.",
        "en": "Candidate site points for the village model (a station layer; working = existing). Default: commune centres.",
    },
    "help_plan_radius": {
        "vi": "Bán kính phủ sóng của một đài, tính bằng mét (mô hình thôn).",
        "en": "Coverage radius of a station in metres (village model).",
    },
    "help_planner_help": {
        "vi": "Ghi trang lập kế hoạch: một trang tự chứa (không cần mạng) để thay đổi ngân sách\nhoặc số đài, chính sách với các xã chưa rõ và mục tiêu, rồi xem phương án tối ưu\nchính xác, phương án tham lam và lợi ích biên thay đổi theo.\n\nMọi kết quả được tính sẵn bằng mô hình của `bkmap plan`. Ví dụ:\n\n\x08\n  bkmap planner --out planner.html\n  bkmap planner --lang en --out planner_en.html --upgrade-cost 200tr\n",
        "en": "Write the planner's explorer: one self-contained page (no network) to move the budget\n    or the number of stations, the policy for unknown communes and the objective, and see the\n    exact optimum, the greedy answer and the marginal gain follow.\n\n    Every answer is precomputed with the model of `bkmap plan`. Examples:\n\n    \x08\n      bkmap planner --out planner.html\n      bkmap planner --lang en --out planner_en.html --upgrade-cost 200tr\n    ",
    },
    "help_planner_out": {
        "vi": "Trang cần ghi (.html).",
        "en": "The page to write (.html).",
    },
    "help_planner_weight": {
        "vi": "Mục tiêu kết hợp: trọng số của tỉ lệ số xã (tỉ lệ dân số nhận 1 - w).",
        "en": "Objective mix: weight of the commune share (the population share gets 1 - w).",
    },
    "help_planner_probabilities": {
        "vi": "Thêm các giá trị p cần tính sẵn cho --unknown probability (dùng nhiều lần được), ngoài 0.05, 0.10, ..., 1 và giá trị suy ra từ số liệu công bố (0.451).",
        "en": "More values of p to precompute for --unknown probability (repeatable), besides 0.05, 0.10, ..., 1 and the one derived from the published count (0.451).",
    },
    "help_planner_villages": {
        "vi": "Điểm thôn/bản (có thể kèm dân số): thêm mô hình phủ sóng (MCLP), tính sẵn cho mọi số điểm mới.",
        "en": "Village points (thôn/bản, optionally with population): adds the covering model (MCLP), precomputed for every number of new sites.",
    },
    "help_print_help": {
        "vi": "Vẽ bản đồ tiêu chí 8 để in (PNG hoặc PDF, khổ A4 hoặc A3).\n\nBản đồ có chú giải kèm số lượng, thước tỉ lệ, mũi tên chỉ hướng bắc, tiêu đề\nghi giai đoạn, cùng nguồn và ngày của số liệu.\n",
        "en": "Draw the criterion-8 map for paper (PNG or PDF, A4 or A3).\n\n    The map has a legend with counts, a scale bar, a north arrow, a title with\n    the period, and the sources and date of the data.\n    ",
    },
    "help_print_out": {
        "vi": "Nơi ghi bản đồ: .png hoặc .pdf.",
        "en": "Where to write the map: .png or .pdf.",
    },
    "help_print_paper": {
        "vi": "Khổ giấy; hướng giấy theo hình dạng của bản đồ.",
        "en": "Paper size; the orientation follows the map's shape.",
    },
    "help_print_dpi": {
        "vi": "Độ phân giải của ảnh PNG (300 để in).",
        "en": "Resolution of a PNG (300 for print).",
    },
    "help_print_no_labels": {
        "vi": "Không ghi tên các xã.",
        "en": "Leave out the commune names.",
    },
    "help_report_help": {
        "vi": "Ghi báo cáo tiêu chí 8: bản đồ, tổng hợp theo huyện, danh sách xã còn thiếu, đối chiếu số liệu, nguồn.\n\nTệp HTML chứa sẵn Leaflet và mọi định dạng, không tải gì qua mạng, nên dùng\nđược ở cơ quan không có kết nối. Mặc định bằng tiếng Việt; --lang en cho tiếng Anh.\n",
        "en": "Write the criterion-8 report: map, district summary, gap list, reconciliation, sources.\n\n    The HTML file has Leaflet and every style inside and loads nothing over\n    the network, so it works in offices with no connection. Vietnamese by\n    default; --lang en for English.\n    ",
    },
    "help_report_out": {
        "vi": "Nơi ghi báo cáo HTML (một tệp tự chứa).",
        "en": "Where to write the HTML report (one self-contained file).",
    },
    "help_report_gaps_dir": {
        "vi": "Thư mục do `bkmap gaps --out DIR` ghi ra: thêm các lớp và danh sách xã còn thiếu của nó.",
        "en": "Folder written by `bkmap gaps --out DIR`: adds its layers and its gap list.",
    },
    "help_report_excel_path": {
        "vi": "Ghi thêm các bảng của báo cáo thành một sổ tính Excel (.xlsx).",
        "en": "Also write the report's tables as one Excel workbook (.xlsx).",
    },
    "help_template_help": {
        "vi": "Ghi một bảng tình trạng liệt kê mọi xã, với các cột chỉ tiêu để trống.\n\nĐiền 8.1 đến 8.4 bằng đạt / chưa đạt / chưa rõ (hoặc met / not_met /\nunknown), rồi vẽ bằng `bkmap map --status FILE`.\n",
        "en": "Write a status table listing every commune, with empty indicator columns.\n\n    Fill in 8.1 to 8.4 with đạt / chưa đạt / chưa rõ (or met / not_met /\n    unknown), then draw it with `bkmap map --status FILE`.\n    ",
    },
    "help_template_out": {
        "vi": "Nơi ghi bảng mẫu: một tệp .csv hoặc .xlsx.",
        "en": "Where to write the template: a .csv or .xlsx file.",
    },
    "help_units_help": {
        "vi": "Liệt kê các phiên bản đơn vị hành chính của Bắc Kạn (2019, 2020, 2023, 2025), kèm ngày, số lượng và nguồn.\n\n\x08\nVí dụ:\n  bkmap units                                  các phiên bản\n  bkmap units --on 2025-07-01                  37 đơn vị có hiệu lực vào ngày đó\n  bkmap units --on 2025-07-01 --whole-province cả 92 đơn vị của Thái Nguyên\n  bkmap units --crosswalk 2019 2025 --out cw.csv\n  bkmap units --disagreement                   chênh lệch giữa hai lần đo đạc 2019 và 2025\n",
        "en": "List the versions of Bắc Kạn's units (2019, 2020, 2023, 2025), with dates, counts and sources.\n\n    \x08\n    Examples:\n      bkmap units                                  the versions\n      bkmap units --on 2025-07-01                  the 37 units in force on that day\n      bkmap units --on 2025-07-01 --whole-province all 92 units of Thái Nguyên\n      bkmap units --crosswalk 2019 2025 --out cw.csv\n      bkmap units --disagreement                   2019 vs 2025 survey mismatch\n    ",
    },
    "help_units_on": {
        "vi": "Liệt kê các đơn vị có hiệu lực vào ngày này (YYYY-MM-DD) hoặc theo phiên bản (2019, 2020, 2023, 2025). Không có tuỳ chọn này thì liệt kê các phiên bản.",
        "en": "List the units in force on this date (YYYY-MM-DD) or version (2019, 2020, 2023, 2025). Without it, list the versions.",
    },
    "help_units_crosswalk_pair": {
        "vi": "Ghi bảng chuyển đổi từ một phiên bản sang một phiên bản sau, ví dụ --crosswalk 2019 2025.",
        "en": "Write the crosswalk from one version to a later one, e.g. --crosswalk 2019 2025.",
    },
    "help_units_method": {
        "vi": "Chuyển đổi theo quan hệ kế thừa chính thức, hoặc theo phần giao nhau giữa các vùng của hai phiên bản.",
        "en": "Crosswalk by the official lineage, or by intersecting the polygons of both versions.",
    },
    "help_units_disagreement": {
        "vi": "Đo mức chênh lệch giữa hai lần đo đạc ranh giới năm 2019 và 2025 (theo từng đơn vị năm 2025 khi dùng --out).",
        "en": "Measure how far the 2019 and 2025 boundary surveys disagree (per 2025 unit with --out).",
    },
    "help_units_out": {
        "vi": "Ghi danh sách ra tệp .csv hoặc .xlsx thay vì in ra màn hình.",
        "en": "Write the listing as .csv or .xlsx instead of printing it.",
    },
}
