/** XML 1.0 text and attribute escaping for report files that CI systems parse strictly. */
import { stripAnsi } from '../ui/text.js';

/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other than tab, LF
 * and CR, U+FFFE/U+FFFF and unpaired surrogates.
 */
// eslint-disable-next-line no-control-regex
const INVALID = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Makes `text` carryable: colour codes are dropped, other invalid characters become a visible `\xNN`. */
function carryable(text: string): string {
  return stripAnsi(text).replace(INVALID, (ch) => {
    const code = ch.charCodeAt(0);
    return code >= 0xd800 && code <= 0xdfff ? '\uFFFD' : `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  });
}

/** Element content. `>` is escaped too, so `]]>` in output cannot look like the end of a CDATA section. */
export function xmlText(text: string): string {
  return carryable(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute value (double-quoted). Tabs and line breaks become references so parsers keep them. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
