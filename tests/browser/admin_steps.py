"""Steps in the Django admin that several journeys take, as an editor or staff member would."""

from playwright.sync_api import expect

from tests.factories import image_file

PASSWORD = "a-good-long-password"  # tests.factories.UserFactory's


def sign_in(page, user):
    page.goto("/admin/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("#user-tools")).to_contain_text(user.username, ignore_case=True)


def fill_translated(page, field, values, prefix=""):
    """Fill a translated field language by language, through its tabs (e.g. field="title")."""
    for language, value in values.items():
        page.locator(f'a[href="#tab_id_{prefix}{field}_{language}"]').click()
        page.locator(f"#id_{prefix}{field}_{language}").fill(value)


def type_translated_body(page, field, paragraphs):
    """Type into the rich-text editor of each language, one paragraph per Enter."""
    for language, texts in paragraphs.items():
        page.locator(f'a[href="#tab_id_{field}_{language}"]').click()
        editor = page.locator(f"#tab_id_{field}_{language}").get_by_role("textbox")
        editor.click()
        for number, text in enumerate(texts):
            if number:
                editor.press("Enter")
            editor.press_sequentially(text)


def choose_autocomplete(page, row, field, name, term=None):
    """Pick `name` in an autocomplete (select2) field of an inline row by typing `term` (by default
    the start of the name), as staff do."""
    row.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(term or name[:4])
    page.locator(".select2-container--open .select2-results__option", has_text=name).click()


def image_upload(name, size, color=(10, 74, 143)):
    upload = image_file(name, size=size, color=color)
    return {"name": upload.name, "mimeType": upload.content_type, "buffer": upload.read()}


def save(page, button="_continue"):
    """Press one of the admin's save buttons (_save, _continue, _addanother)."""
    with page.expect_navigation():
        page.locator(f'input[name="{button}"]').click()


def expect_saved(page):
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".errornote")).to_have_count(0)
