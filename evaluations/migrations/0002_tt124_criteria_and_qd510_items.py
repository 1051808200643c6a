"""The criteria of TT 124/2021/TT-BCA Điều 6 for an agency, in the legal wording, and the known lines of
the QĐ 510/QĐ-BCA-V05 score sheet (domain.md §1.3 and §2.2). A province's own criteria and the rest of
the score sheet are entered in admin."""

from datetime import date

from django.db import migrations

LEGAL_BASIS = "\n".join(
    [
        "Thông tư số 124/2021/TT-BCA ngày 28/12/2021 của Bộ trưởng Bộ Công an quy định khu dân cư, xã, phường, "
        'thị trấn, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn "An toàn về an ninh, trật tự" '
        "(được sửa đổi, bổ sung bởi Thông tư số 48/2025/TT-BCA)",
        "Quyết định số 510/QĐ-BCA-V05 ngày 20/01/2022 của Bộ Công an ban hành Quy định tiêu chí đánh giá, "
        "phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc",
    ]
)

# code, parent code, incident flag, evidence, title (vi), title (en), legal wording (Điều 6, verbatim)
CRITERIA = [
    (
        "1",
        None,
        "",
        "briefing",
        "Nghị quyết, kế hoạch, đăng ký, nội quy, phổ biến quán triệt, mô hình phong trào",
        "Resolution, plan, registration, internal rules, briefing of all staff, movement model",
        "Quý I hằng năm, tổ chức Đảng có nghị quyết chuyên đề riêng hoặc lồng ghép công tác bảo đảm an ninh, trật "
        "tự trong nghị quyết lãnh đạo, chỉ đạo hằng năm (đối với nơi có tổ chức Đảng); cơ quan, doanh nghiệp có kế "
        'hoạch về bảo đảm an ninh, trật tự và đăng ký phấn đấu đạt tiêu chuẩn "An toàn về an ninh, trật tự"; có '
        "nội quy, quy định bảo vệ cơ quan, doanh nghiệp, bảo vệ bí mật Nhà nước, bảo vệ chính trị nội bộ, an toàn "
        "lao động, phòng, chống cháy nổ, bảo vệ môi trường phù hợp với tình hình thực tiễn và quy định của pháp "
        "luật; 100% cán bộ, công chức, viên chức, người lao động được phổ biến quán triệt các nội quy, quy định nêu "
        'trên và tiêu chí xây dựng cơ quan, doanh nghiệp đạt tiêu chuẩn "An toàn về an ninh, trật tự"; có ít nhất '
        "01 mô hình phong trào toàn dân bảo vệ an ninh Tổ quốc hoạt động hiệu quả.",
    ),
    (
        "2",
        None,
        "",
        "",
        "Triển khai chủ trương, chính sách, pháp luật; phối hợp với lực lượng Công an",
        "Policy and law carried out; coordination with the police",
        "Triển khai, thực hiện đầy đủ các chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước, quy "
        "chế, chương trình, kế hoạch phối hợp với lực lượng Công an (nếu có) và các quy định của địa phương về công "
        "tác bảo đảm an ninh, trật tự.",
    ),
    (
        "3",
        None,
        "",
        "incidents",
        "Không để xảy ra các trường hợp quy định",
        "None of the listed events allowed to happen",
        "Không để xảy ra một trong các trường hợp sau:",
    ),
    (
        "3.a",
        "3",
        "a",
        "",
        "Tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật",
        "Illegal propagation of beliefs or religions",
        "Tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật;",
    ),
    (
        "3.b",
        "3",
        "b",
        "",
        "Lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu kiện",
        "Abuse of belief, religion, ethnicity, disputes or complaints",
        "Hoạt động lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu kiện gây phức tạp về an ninh, trật tự;",
    ),
    (
        "3.c",
        "3",
        "c",
        "",
        "Kích động tập trung đông người khiếu nại, gây rối an ninh, trật tự",
        "Inciting mass complaints, disturbing public order",
        "Kích động, xúi giục, cưỡng ép, dụ dỗ, mua chuộc, lôi kéo người khác tập trung đông người khiếu nại, gây "
        "rối an ninh, trật tự công cộng hoặc lợi dụng việc khiếu nại để tuyên truyền chống Nhà nước; xâm phạm lợi "
        "ích của Nhà nước; xuyên tạc, vu khống, đe dọa, xúc phạm uy tín, danh dự của cơ quan, tổ chức, người có "
        "trách nhiệm được phân công giải quyết khiếu nại, tố cáo;",
    ),
    (
        "3.d",
        "3",
        "d",
        "",
        "Đình công, lãn công trái pháp luật",
        "Illegal strike or go-slow",
        "Đình công, lãn công trái pháp luật;",
    ),
    (
        "3.đ",
        "3",
        "đ",
        "",
        "Tội phạm nghiêm trọng trở lên",
        "Serious crime or worse",
        "Tội phạm nghiêm trọng trở lên (trừ trường hợp bất khả kháng) hoặc nếu có, kịp thời phát hiện, sử dụng đồng "
        "bộ các biện pháp giảm thiểu hậu quả và báo cáo ngay cấp có thẩm quyền để xử lý;",
    ),
    (
        "3.e",
        "3",
        "e",
        "",
        "Vi phạm các quy định về bảo vệ bí mật Nhà nước",
        "Violation of state-secret protection",
        "Vi phạm các quy định về bảo vệ bí mật Nhà nước;",
    ),
    (
        "3.g",
        "3",
        "g",
        "",
        "Cháy, nổ nghiêm trọng; tai nạn lao động chết người; sự cố nghiêm trọng",
        "Serious fire or explosion, fatal work accident, serious incident",
        "Cháy, nổ nghiêm trọng; tai nạn lao động chết người; sự cố nghiêm trọng; vi phạm môi trường, an toàn vệ sinh "
        "thực phẩm gây hậu quả nghiêm trọng trở lên theo quy định của pháp luật (trừ trường hợp bất khả kháng);",
    ),
    (
        "3.h",
        "3",
        "h",
        "",
        "Cán bộ bị xử phạt hành chính về an ninh, trật tự hoặc kỷ luật do tệ nạn xã hội",
        "Staff sanctioned in security and order, or disciplined for social evils",
        "Cán bộ, công chức, viên chức, người lao động bị xử phạt vi phạm hành chính trong lĩnh vực an ninh, trật tự "
        "hoặc mắc tệ nạn xã hội bị xử lý kỷ luật từ hình thức cảnh cáo trở lên.",
    ),
    (
        "4",
        None,
        "",
        "protection_force",
        "Lực lượng bảo vệ cơ quan",
        "The office's protection force",
        'Lực lượng bảo vệ cơ quan, doanh nghiệp đạt danh hiệu "Tập thể lao động tiên tiến" hoặc được đánh giá '
        '"Hoàn thành tốt nhiệm vụ" trở lên (đối với những nơi đủ điều kiện bình xét danh hiệu thi đua), không có '
        "cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên.",
    ),
    (
        "5",
        None,
        "",
        "units",
        "Các đầu mối trực thuộc",
        "Subordinate units",
        '70% trở lên số đầu mối trực thuộc (phòng, ban, tổ, đội) đạt danh hiệu "Tập thể lao động tiên tiến" hoặc '
        'được đánh giá "Hoàn thành tốt nhiệm vụ" trở lên (đối với những nơi đủ điều kiện bình xét danh hiệu thi '
        "đua), không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên.",
    ),
]

# code, parent code, max points, text (QĐ 510 Điều 7, agencies; the lines found so far)
SCORE_ITEMS = [
    (
        "1",
        None,
        3,
        "Quý I hằng năm, cấp ủy (đối với nơi có tổ chức Đảng) có nghị quyết; cơ quan, doanh nghiệp có chương trình "
        "hoặc kế hoạch sát hợp tình hình để triển khai thực hiện đầy đủ các văn bản chỉ đạo của cấp trên về xây dựng "
        "phong trào; tổ chức sơ, tổng kết phong trào và thực hiện nghiêm túc chế độ thông tin, báo cáo.",
    ),
    (
        "2",
        None,
        3,
        "Có nhiều hình thức tuyên truyền, vận động thu hút 90% trở lên đảng viên, cán bộ, công nhân viên, người lao "
        "động tham gia phong trào.",
    ),
    (
        "3",
        None,
        5,
        'Tích cực hưởng ứng hoặc có hình thức tổ chức "Ngày hội toàn dân bảo vệ an ninh Tổ quốc" và các chủ đề khác '
        "theo chỉ đạo của Ban Chỉ đạo các cấp thiết thực, hiệu quả.",
    ),
    (
        "4",
        None,
        0,
        "Phối hợp chặt chẽ với chính quyền cơ sở, lực lượng Công an các cấp trong xây dựng phong trào.",
    ),
    ("4.a", "4", 1, "Xây dựng quy chế hoặc kế hoạch phối hợp."),
]


def load(apps, schema_editor):
    CriteriaSet = apps.get_model("evaluations", "CriteriaSet")
    Criterion = apps.get_model("evaluations", "Criterion")
    criteria_set = CriteriaSet.objects.create(
        code="tt124-2021",
        name="Thông tư 124/2021/TT-BCA, Điều 6 (cơ quan)",
        legal_basis=LEGAL_BASIS,
        effective_from=date(2022, 2, 10),
    )
    made = {}
    for order, (code, parent, item, evidence, title, title_en, text) in enumerate(CRITERIA, start=1):
        made[code] = Criterion.objects.create(
            criteria_set=criteria_set,
            parent=made.get(parent),
            code=code,
            tt124_item=item,
            evidence=evidence,
            title=title,
            title_en=title_en,
            text=text,
            order=order * 10,
        )

    ScoreTemplate = apps.get_model("evaluations", "ScoreTemplate")
    ScoreItem = apps.get_model("evaluations", "ScoreItem")
    template = ScoreTemplate.objects.create(
        code="qd510-co-quan",
        name="Bảng chấm điểm đánh giá, phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc cơ quan, doanh nghiệp "
        "(QĐ 510/QĐ-BCA-V05)",
        total_points=100,
    )
    lines = {}
    for order, (code, parent, points, text) in enumerate(SCORE_ITEMS, start=1):
        lines[code] = ScoreItem.objects.create(
            template=template, parent=lines.get(parent), code=code, text=text, max_points=points, order=order * 10
        )


def unload(apps, schema_editor):
    apps.get_model("evaluations", "CriteriaSet").objects.filter(code="tt124-2021").delete()
    apps.get_model("evaluations", "ScoreTemplate").objects.filter(code="qd510-co-quan").delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
