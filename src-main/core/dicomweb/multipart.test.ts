import { describe, expect, it } from 'vitest';
import { buildMultipart, contentTypeParam, parseMultipart } from './multipart.js';

describe('multipart/related', () => {
  it('round-trips binary parts, including bytes that look like CRLF and dashes', () => {
    const parts = [
      Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]),
      Buffer.alloc(0),
      Buffer.from('\r\n--not-the-boundary\r\n'),
    ];
    const built = buildMultipart(parts);
    expect(contentTypeParam(built.contentType, 'type')).toBe('application/dicom');
    const parsed = parseMultipart(Buffer.concat(built.chunks), built.contentType);
    expect(parsed.map((p) => p.body)).toEqual(parts);
    expect(parsed[0]?.headers['content-type']).toBe('application/dicom');
    expect(built.bytes).toBe(Buffer.concat(built.chunks).length);
  });

  it('reads a quoted boundary, a preamble, an epilogue and parts without headers', () => {
    const simple = Buffer.from(
      'preamble\r\n--abc\r\nContent-Type: application/dicom\r\n\r\nONE\r\n--abc\r\n\r\nTWO\r\n--abc--\r\nepilogue',
    );
    const two = parseMultipart(
      simple,
      'multipart/related; boundary="abc"; type="application/dicom"',
    );
    expect(two.map((p) => p.body.toString())).toEqual(['ONE', 'TWO']);
    expect(two[1]?.headers).toEqual({});
  });

  it('refuses an answer cut short or not multipart, never returning fewer parts silently', () => {
    const cut = Buffer.from(
      '--abc\r\nContent-Type: application/dicom\r\n\r\nONE\r\n--abc\r\n\r\nTW',
    );
    expect(() => parseMultipart(cut, 'multipart/related; boundary=abc')).toThrow(
      /cut short after 1 parts/,
    );
    expect(() => parseMultipart(Buffer.from('{}'), 'application/json')).toThrow(/not multipart/);
    expect(() => parseMultipart(Buffer.from('nothing'), 'multipart/related; boundary=abc')).toThrow(
      /no part/,
    );
  });
});
