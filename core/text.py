"""Text helpers every app needs: Chinese script conversion, pinyin, search tokens, the characters
XML cannot carry, the language a translated field is shown in.

This module imports no app of the project, so any app may use it.
"""

import html
import re
import unicodedata
from functools import cache, lru_cache

import opencc
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import get_language

from core.models import DerivedFieldsModel


@lru_cache(maxsize=2)
def _converter(config):
    return opencc.OpenCC(config)


def to_traditional(text):
    """Simplified -> Traditional Chinese (OpenCC s2t); other scripts pass through, what XML cannot carry goes."""
    # OpenCC reads UTF-8, which has no unpaired surrogates.
    return _converter("s2t").convert(xml_safe(text)) if text else text


def to_simplified(text):
    """Traditional -> Simplified Chinese (OpenCC t2s); other scripts pass through, what XML cannot carry goes."""
    return _converter("t2s").convert(xml_safe(text)) if text else text


def _pinyin_words(text):
    # Imported on first use: pypinyin's dictionaries take some 50 MB, which an app server process
    # serving only public pages never needs.
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL, errors=lambda chunk: chunk, v_to_u=False)


def pinyin_slug(text, max_length=80):
    """吴中区办事处 -> 'wu-zhong-qu-ban-shi-chu'; Latin text is kept, cut at a word boundary."""
    slug = slugify(" ".join(_pinyin_words(text or "")))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def pinyin_sort_key(text):
    """A key that orders Chinese names by pinyin (A-Z) instead of code point."""
    words = unicodedata.normalize("NFKC", " ".join(_pinyin_words(text or ""))).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", words).split())[:200]


# Search tokens. Chinese has no spaces and most words are one or two characters, so a run of
# Chinese characters is indexed as overlapping bigrams plus its last character: one token per
# character position. A query of n >= 2 characters is then the phrase of its n-1 bigrams (an
# exact substring match) and a single character is a prefix match on the tokens. Latin words
# and numbers are indexed whole.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_TOKEN_RUNS = re.compile(f"([{_CJK}]+)|([0-9a-z]+)")


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|td|th|figcaption|blockquote)>|<br\s*/?>", re.IGNORECASE)


# XML 1.0 (https://www.w3.org/TR/xml/#charsets) allows tab, newline and carriage return of the C0
# controls, and no surrogate, U+FFFE or U+FFFF. Text pasted from Word brings U+000B (a manual line
# break) and U+000C (a page break); one of them in a title made every feed unreadable.
_NOT_IN_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same set as a regular expression both PostgreSQL and Python read: escapes, not the characters,
# as PostgreSQL takes no NUL in a parameter; neither database stores a surrogate.
NOT_IN_XML_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


def xml_safe(text):
    """`text` without the characters XML 1.0 cannot carry; other values are returned unchanged.

    Args:
        text: a str, or anything else (None, a number), which is passed through.

    Returns:
        The text with the C0 controls other than tab, newline and carriage return (U+0000-U+0008,
        U+000B, U+000C, U+000E-U+001F), unpaired surrogates, U+FFFE and U+FFFF dropped.
        Source: XML 1.0 (Fifth Edition), section 2.2 "Characters".
    """
    return _NOT_IN_XML_RE.sub("", text) if isinstance(text, str) else text


def xml_safe_data(data):
    """`data` with `xml_safe` applied to every string in it, through dicts, lists and tuples.

    Args:
        data: a str, dict, list or tuple (nested), or any other value, which is passed through.

    Returns:
        The same shape (tuples become lists) with clean strings.
    """
    if isinstance(data, dict):
        return {key: xml_safe_data(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [xml_safe_data(value) for value in data]
    return xml_safe(data)


def is_text_field(field):
    """Whether a model field stores free text (CharField, TextField and their subclasses)."""
    return isinstance(field, (models.CharField, models.TextField))


def drop_xml_invalid_characters(instance):
    """Drop what XML cannot carry (see `xml_safe`) from every loaded text field of a model instance.

    Fields not loaded (deferred) are left alone, so no query is made.

    Args:
        instance: an instance of any model.

    Returns:
        The attribute names of the fields that changed.
    """
    changed = []
    for field in instance._meta.concrete_fields:
        value = instance.__dict__.get(field.attname)
        if is_text_field(field) and isinstance(value, str) and _NOT_IN_XML_RE.search(value):
            instance.__dict__[field.attname] = xml_safe(value)
            changed.append(field.attname)
    return changed


def clean_stored_text(models_to_clean):
    """Drop what XML cannot carry from the text fields of rows already stored.

    For data migrations: pass the (historical) models of one app. Only the rows holding such a
    character are read, and each is written with QuerySet.update(), so no save() rule runs.

    Args:
        models_to_clean: an iterable of model classes.

    Returns:
        The number of rows changed.
    """
    changed_rows = 0
    for model in models_to_clean:
        fields = [field.attname for field in model._meta.concrete_fields if is_text_field(field)]
        if not fields:
            continue
        dirty = models.Q()
        for name in fields:
            dirty |= models.Q(**{f"{name}__regex": NOT_IN_XML_PATTERN})
        manager = model._base_manager
        for row in manager.filter(dirty).only("pk", *fields).iterator():
            if changed := drop_xml_invalid_characters(row):
                manager.filter(pk=row.pk).update(**{name: getattr(row, name) for name in changed})
                changed_rows += 1
    return changed_rows


def html_to_text(markup):
    """Readable plain text of an HTML fragment: tags and what XML cannot carry dropped, blocks spaced,
    entities decoded."""
    # Dropped before splitting on white space, which U+000B and U+000C count as.
    text = html.unescape(strip_tags(_BLOCK_END.sub(" ", xml_safe(markup) or "")))
    return " ".join(text.split())


def normalise_for_search(text):
    """Plain, Simplified, lower-case text: what documents and queries are compared as."""
    text = html_to_text(text)
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def _run_tokens(run, is_cjk):
    if not is_cjk:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def search_document(*texts):
    """The space-separated token string stored on a row and indexed for search."""
    tokens = []
    for text in texts:
        for cjk, word in _TOKEN_RUNS.findall(normalise_for_search(text)):
            tokens.extend(_run_tokens(cjk or word, bool(cjk)))
    return " ".join(tokens)


def search_terms(query, max_terms=8):
    """Split a visitor's query into terms, each the list of tokens it must match in order.

    '考評指標 5G' -> [['考评', '评指', '指标'], ['5g']]. A run of Chinese followed by more text in
    the same term yields the document's own tokens (its bigrams and its last character); the
    term's last run leaves its last character to its last bigram, so it may continue in the text.
    A term that ends in a single Chinese character or a Latin word matches that token as a prefix.
    """
    terms = []
    for chunk in normalise_for_search(query).split()[:max_terms]:
        runs = _TOKEN_RUNS.findall(chunk)
        tokens = []
        for index, (cjk, word) in enumerate(runs):
            if cjk and len(cjk) > 1 and index == len(runs) - 1:
                tokens.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
            else:
                tokens.extend(_run_tokens(cjk or word, bool(cjk)))
        if tokens:
            terms.append(tokens)
    return terms


class TraditionalFilledModel(DerivedFieldsModel):
    """A translated model whose Traditional Chinese fields follow the Simplified ones.

    In its derived-fields step, every zh-hant translation that an editor left empty, or that still
    holds the text generated from the previous Simplified value, is generated anew from the
    Simplified value with OpenCC. Traditional text an editor wrote is kept.
    """

    # Translated fields the model derives in every language itself (no OpenCC fill).
    rendered_translations = ()

    class Meta:
        abstract = True

    def derive(self):
        return super().derive() | set(self.fill_traditional())

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._simplified_as_loaded = {
            name: getattr(self, f"{name}_zh_hans") for name in _translated_field_names(type(self))
        }

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._simplified_as_loaded = {
            name: instance.__dict__[f"{name}_zh_hans"]
            for name in _translated_field_names(cls)
            if f"{name}_zh_hans" in instance.__dict__
        }
        return instance

    def fill_traditional(self):
        """Set the zh-hant fields that follow zh-hans; return the names of those it set."""
        loaded = getattr(self, "_simplified_as_loaded", {})
        filled = []
        for name in _translated_field_names(type(self)):
            if name in self.rendered_translations:
                continue
            simplified = getattr(self, f"{name}_zh_hans", None)
            traditional = getattr(self, f"{name}_zh_hant", None)
            generated_before = to_traditional(loaded.get(name) or "")
            if not traditional or traditional == generated_before:
                setattr(self, f"{name}_zh_hant", to_traditional(simplified or "") or traditional)
                filled.append(f"{name}_zh_hant")
        return filled


def bcp47(language_code):
    """Django's 'zh-hans' -> 'zh-Hans', as HTML, XML and schema.org write it (BCP 47, RFC 5646)."""
    first, *rest = language_code.split("-")
    return "-".join([first, *(part.title() if len(part) == 4 else part.upper() for part in rest)])


def shown_language(instance, field_name):
    """The language of the text a translated field shows in the active language.

    django-modeltranslation shows a field's value in the active language, or, when that is empty,
    in its fallback language (settings.MODELTRANSLATION_FALLBACK_LANGUAGES): an article written
    only in Simplified Chinese shows Chinese at /en/. Traditional Chinese that OpenCC generated
    (TraditionalFilledModel) is stored, so it is real Traditional text, not a fallback.

    Args:
        instance: a model instance registered with modeltranslation.
        field_name: the name of a translated field, e.g. "title".

    Returns:
        A Django language code ("zh-hans", "en", "zh-hant"): the first language in the fallback
        order whose value is not empty, or the active language when all are.
    """
    from modeltranslation.fields import NONE
    from modeltranslation.utils import build_localized_fieldname, resolution_order

    descriptor = getattr(type(instance), field_name)
    undefined = descriptor.fallback_undefined
    if undefined is NONE:
        undefined = descriptor.field.get_default()
    active = get_language()
    for language in resolution_order(active, descriptor.fallback_languages):
        value = getattr(instance, build_localized_fieldname(field_name, language), None)
        if descriptor.meaningful_value(value, undefined):
            return language
    return active


def written_languages(instance, field_name):
    """The languages in which a translated field has text of its own (no fallback), in settings order."""
    from django.conf import settings
    from modeltranslation.utils import build_localized_fieldname

    return [
        code for code, _name in settings.LANGUAGES if getattr(instance, build_localized_fieldname(field_name, code))
    ]


@cache
def _translated_field_names(model):
    from modeltranslation.translator import NotRegistered, translator

    try:
        return sorted(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return []
