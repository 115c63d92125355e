import { convert, type FormatCallback } from 'html-to-text';
import { DEFAULT_LIMITS, ExtractError, type ExtractLimits } from './limits.ts';

// A table row becomes one line, its cells separated by tabs, so "label | value" rows stay
// paired for the parser (DOCX tables reach us through mammoth's HTML).
const cell: FormatCallback = (elem, walk, builder) => {
  walk(elem.children, builder);
  builder.addLiteral('\t');
};
const row: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 1 });
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 1 });
};
const paragraphInCell: FormatCallback = (elem, walk, builder) => {
  walk(elem.children, builder);
  builder.addInline(' ');
};

const headings = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({
  selector, options: { uppercase: false, leadingLineBreaks: 1, trailingLineBreaks: 1 },
}));

/** Plain text from HTML (mail bodies, DOCX renderings), one line per paragraph or table row. */
export function htmlToText(html: string, limits: ExtractLimits = DEFAULT_LIMITS): string {
  if (html.length > limits.maxHtmlChars) {
    throw new ExtractError('too_large', 'HTML-innehållet är för stort för att läsas.');
  }
  const text = convert(html, {
    wordwrap: false,
    // Bounds for deeply nested or very wide markup (HTML bombs).
    limits: { maxDepth: 64, maxChildNodes: 5000, maxInputLength: limits.maxHtmlChars, ellipsis: '' },
    formatters: { bbCell: cell, bbRow: row, bbCellParagraph: paragraphInCell },
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'table', format: 'block' },
      { selector: 'tr', format: 'bbRow' },
      { selector: 'td', format: 'bbCell' },
      { selector: 'th', format: 'bbCell' },
      { selector: 'td > p', format: 'bbCellParagraph' },
      { selector: 'th > p', format: 'bbCellParagraph' },
      { selector: 'td > div', format: 'bbCellParagraph' },
      ...headings,
    ],
  });
  return text.slice(0, limits.maxTextChars);
}
