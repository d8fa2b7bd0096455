"""Text helpers every app needs: Chinese script conversion, pinyin, search tokens.

This module imports no app of the project, so any app may use it.
"""

import html
import re
import unicodedata
from functools import cache, lru_cache

import opencc
from django.utils.html import strip_tags
from django.utils.text import slugify

from core.models import DerivedFieldsModel


@lru_cache(maxsize=2)
def _converter(config):
    return opencc.OpenCC(config)


def to_traditional(text):
    """Simplified -> Traditional Chinese (OpenCC s2t); other scripts pass through."""
    return _converter("s2t").convert(text) if text else text


def to_simplified(text):
    """Traditional -> Simplified Chinese (OpenCC t2s); other scripts pass through."""
    return _converter("t2s").convert(text) if text else text


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


def html_to_text(markup):
    """Readable plain text of an HTML fragment: tags dropped, blocks spaced, entities decoded."""
    text = html.unescape(strip_tags(_BLOCK_END.sub(" ", markup or "")))
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


@cache
def _translated_field_names(model):
    from modeltranslation.translator import NotRegistered, translator

    try:
        return sorted(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return []
