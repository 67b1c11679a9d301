import { UnsupportedMediaTypeException } from '@nestjs/common';
import { extname } from 'node:path';

/** Largest accepted upload (docs/spec.md section 7): 20 MB. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/**
 * Media types accepted, as detected from the content (magic bytes, file-type): PDF and the OOXML and
 * OpenDocument formats. Macro-enabled variants are not accepted. Plain text and CSV are not either:
 * they have no signature, so an HTML or SVG page would pass as text.
 */
const DETECTED_TYPES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
];

/** Legacy .doc, .xls and .ppt share one container (OLE2 compound file): the name tells which. */
const COMPOUND_FILE = 'application/x-cfb';
const LEGACY_OFFICE_TYPES: Record<string, string> = {
  '.doc': 'application/msword',
  '.xls': 'application/vnd.ms-excel',
  '.ppt': 'application/vnd.ms-powerpoint',
};

const escape = (type: string) => type.replace(/[.+]/g, (c) => `\\${c}`);

/** What FileTypeValidator lets through (the detected type, anchored). */
export const DETECTABLE_DOCUMENT_TYPE = new RegExp(`^(${[...DETECTED_TYPES, COMPOUND_FILE].map(escape).join('|')})$`);

/** The media type the document is stored and served as: the detected one, or for a compound file its legacy Office type. */
export function documentMediaType(detected: string, name: string): string {
  if (detected !== COMPOUND_FILE) return detected;
  const legacy = LEGACY_OFFICE_TYPES[extname(name).toLowerCase()];
  if (!legacy) {
    throw new UnsupportedMediaTypeException({
      message: 'Unsupported document type',
      details: [{ field: 'file', message: 'a compound (OLE2) file is accepted only as a .doc, .xls or .ppt document' }],
    });
  }
  return legacy;
}

/**
 * The uploaded file's name, safe to store and to put in a Content-Disposition header: its last path
 * segment, letters, digits, spaces and `._()-` only, no leading dots, at most 200 characters.
 */
export function safeDocumentName(original: string): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .replace(/^[.\s]+/, '')
    .trim();
  const name = cleaned.length > 200 ? cleaned.slice(0, 200 - extname(cleaned).length) + extname(cleaned) : cleaned;
  return name || 'document';
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form (RFC 6266). */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  // encodeURIComponent leaves ( ) * ' as they are, which RFC 5987's attr-char does not allow.
  const encoded = encodeURIComponent(name).replace(/[()*']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
