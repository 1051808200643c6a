"""The incident categories of domain.md 4.1, so a new installation can take reports at once.

They are data: an administrator renames, reorders or retires them in admin.
"""

from django.db import migrations

CATEGORIES = [
    ("theft", "Trộm cắp, mất tài sản", "đ", "Công an phường (113)"),
    ("fire-explosion", "Cháy, nổ", "g", "114 (Cảnh sát PCCC và CNCH); 115 nếu có người bị thương"),
    ("unauthorized-entry", "Xâm nhập trái phép", "", "Công an phường"),
    ("gate-disorder", "Gây rối trật tự tại cổng, trụ sở", "c", "Công an phường (113)"),
    ("mass-petition", "Tụ tập đông người khiếu kiện", "c", "Ban Tiếp công dân; Công an phường"),
    ("suspicious-object", "Vật khả nghi", "", "113; sơ tán, không chạm vào vật"),
    ("state-secret-leak", "Lộ, mất bí mật nhà nước", "e", "Chánh Văn phòng; Công an tỉnh"),
    ("cyber", "Sự cố an ninh mạng, lộ lọt dữ liệu", "e", "Công an tỉnh (an ninh mạng); bộ phận CNTT"),
    ("traffic-accident", "Tai nạn giao thông", "đ", "113; 115"),
    ("violence", "Bạo lực, cố ý gây thương tích", "đ", "113; 115"),
    ("social-evil", "Tệ nạn xã hội liên quan cán bộ, công chức", "h", "Công an phường"),
    ("admin-sanction-staff", "Cán bộ bị xử phạt vi phạm hành chính về an ninh, trật tự", "h", ""),
    ("illegal-religion", "Tuyên truyền, phát triển đạo trái pháp luật", "a", "Công an tỉnh"),
    ("strike", "Đình công, lãn công trái pháp luật", "d", ""),
    ("work-accident", "Tai nạn lao động", "g", "115"),
    ("environment-food", "Vi phạm môi trường, an toàn vệ sinh thực phẩm", "g", ""),
    ("other", "Khác", "", ""),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("incidents", "Category")
    for order, (code, name, item, contact) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "tt124_item": item, "first_contact": contact, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
