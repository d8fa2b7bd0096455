"""Version 1 of the privacy policy, in force from the migration: a fresh site can take consent at once."""

from django.db import migrations
from django.utils import timezone

from core.text import to_traditional

TITLE_ZH = "隐私政策"
TITLE_EN = "Privacy policy"

BODY_ZH = """苏州市工业互联网产业联盟秘书处（以下简称“秘书处”）是本网站所收集个人信息的处理者。本政策依据《中华人民共和国个人信息保护法》第十四条、第十七条，说明我们处理哪些个人信息、为什么处理、保存多久，以及您如何行使自己的权利。

一、处理者
苏州市工业互联网产业联盟秘书处。联系方式见本网站“联系我们”页面和每页底部。

二、处理哪些个人信息
只处理您在表单中主动填写的信息：姓名、所在单位、职务、电子邮箱或手机号码，以及您写给我们的内容；入会申请还包括单位的登记信息和联络员的联系方式，活动报名还包括参会信息。我们同时记录您同意本政策的时间和所同意的政策版本。为防止滥用和统计浏览量，我们会短期处理访问者的网络地址（浏览量统计只保存其加密摘要）。浏览本网站无须注册，本网站不使用广告或跟踪类 Cookie。

三、处理目的
答复您的咨询和留言（联系表单）；办理入会申请和会员服务（入会申请）；办理活动报名、签到并通知活动变更（活动报名）。每个表单在同意勾选框旁写明其具体目的和保存期限。我们不将您的个人信息用于所述目的以外的用途，不出售，也不向联盟以外的第三方提供，法律、行政法规另有规定的除外。

四、保存期限
联系表单的留言自收到之日起保存两年；活动报名信息保存至活动结束后一年；入会申请和会员资料在会籍存续期间保存，会籍终止后保存三年，未获通过的申请保存一年。期满后删除或作匿名化处理。

五、您的权利
您有权查阅、复制、更正、补充和删除您的个人信息，有权撤回同意（撤回不影响撤回前基于同意已进行的处理），有权要求我们对本政策作出解释说明。请通过本网站“联系我们”页面，或每页底部所列的电子邮箱、电话联系秘书处，我们将在十五个工作日内答复。

六、存储地点与安全
个人信息存储在中华人民共和国境内，只有经秘书处授权的工作人员可以访问。

七、政策更新
本政策修订时发布新的版本号。此后提交的表单请您同意新版本；此前的同意记录保留您当时所同意的版本。"""

BODY_EN = """The secretariat of the Suzhou Industrial Internet Industry Alliance (the "secretariat") processes the personal information this website collects. Under articles 14 and 17 of the Personal Information Protection Law of the People's Republic of China, this policy says what personal information we process, why, for how long, and how you exercise your rights.

1. Who processes your information
The secretariat of the Suzhou Industrial Internet Industry Alliance. Its contact details are on the Contact page and at the bottom of every page.

2. What we process
Only what you enter in a form yourself: your name, organisation, job title, e-mail address or mobile number, and what you write to us; a membership application also includes the organisation's registration details and its liaison's contact details, and an event registration your attendance details. We also record when you agreed to this policy and which version you agreed to. To prevent abuse and to count page views, we briefly process visitors' network addresses (view counting keeps only a keyed hash of them). You need no account to read this website, and it uses no advertising or tracking cookies.

3. Why
To answer your enquiries and messages (the contact form); to handle membership applications and serve members (the membership application); to register you for events, check you in and tell you of changes (event registration). Each form states its own purpose and retention period next to its consent box. We use your personal information for nothing else, never sell it, and give it to no one outside the alliance unless a law or administrative regulation requires it.

4. How long
Messages from the contact form are kept for two years from receipt; event registrations until one year after the event; membership applications and member records while the membership lasts and for three years after it ends, and applications that are not accepted for one year. After that they are deleted or anonymised.

5. Your rights
You may see, copy, correct, complete and delete your personal information, withdraw your consent (which does not affect processing done before you withdrew it), and ask us to explain this policy. Write to the secretariat through the Contact page, or by the e-mail address or telephone number at the bottom of every page; we answer within fifteen working days.

6. Where and how it is kept
Personal information is stored in the People's Republic of China, and only staff the secretariat authorises can access it.

7. Changes
A revised policy gets a new version number. Forms submitted after it ask you to agree to the new version; earlier consents keep the version agreed to then."""


def create_version_1(apps, schema_editor):
    PrivacyPolicy = apps.get_model("compliance", "PrivacyPolicy")
    if PrivacyPolicy.objects.exists():
        return
    PrivacyPolicy.objects.create(
        version=1,
        title=TITLE_ZH,
        title_zh_hans=TITLE_ZH,
        title_en=TITLE_EN,
        title_zh_hant=to_traditional(TITLE_ZH),
        body=BODY_ZH,
        body_zh_hans=BODY_ZH,
        body_en=BODY_EN,
        body_zh_hant=to_traditional(BODY_ZH),
        published_at=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_privacy_policy")]

    operations = [migrations.RunPython(create_version_1, migrations.RunPython.noop)]
