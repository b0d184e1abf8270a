"""WeChat's XML, parsed safely and written back.

Parsing refuses any DTD (so no external entities and no entity expansion:
billion laughs and XXE fail before anything is expanded), bodies over
:data:`MAX_BODY_BYTES`, and documents that are not a flat ``<xml>`` element.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from typing import Dict, Mapping, Union

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_BODY_BYTES = 64 * 1024
MAX_FIELDS = 64


class WeChatXmlError(ValueError):
    """The body is not a WeChat XML message; the text says why."""


def parse_xml(body: Union[bytes, str]) -> Dict[str, str]:
    """``<xml><Tag>text</Tag>…</xml>`` → {"Tag": "text"}; nested elements keep their text only."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if len(raw) > MAX_BODY_BYTES:
        raise WeChatXmlError(f"the body is larger than {MAX_BODY_BYTES} bytes")
    if not raw.strip():
        raise WeChatXmlError("the body is empty")
    try:
        root = fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise WeChatXmlError(f"forbidden XML construct: {type(error).__name__}") from None
    except (ElementTree.ParseError, ValueError, UnicodeDecodeError, LookupError) as error:
        # LookupError: an encoding no codec knows (<?xml version='1.0' encoding='no-such'?>)
        raise WeChatXmlError(f"malformed XML: {error}") from None
    if root.tag != "xml":
        raise WeChatXmlError("the root element must be <xml>")
    fields: Dict[str, str] = {}
    for child in list(root)[:MAX_FIELDS]:
        if isinstance(child.tag, str) and child.tag not in fields:
            fields[child.tag] = (child.text or "").strip() if len(child) == 0 else "".join(child.itertext()).strip()
    return fields


# Characters XML 1.0 does not allow, even in CDATA.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def cdata(value: str) -> str:
    """A CDATA section that survives a ``]]>`` inside the value and control characters."""
    return "<![CDATA[" + _NOT_XML.sub("", value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_xml(fields: Mapping[str, Union[str, int]]) -> str:
    """Strings become CDATA, numbers stay bare, as WeChat writes them."""
    parts = ["<xml>"]
    for tag, value in fields.items():
        inner = str(value) if isinstance(value, int) and not isinstance(value, bool) else cdata(str(value))
        parts.append(f"<{tag}>{inner}</{tag}>")
    parts.append("</xml>")
    return "".join(parts)
