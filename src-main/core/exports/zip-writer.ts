import { deflateRawSync } from 'node:zlib';
import { crc32 } from './crc32.js';

/** One file of an archive: a plain name (no folders) and its bytes. */
export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0: deflate, the oldest version every reader accepts
const UTF8_NAMES = 0x0800;
const STORE = 0;
const DEFLATE = 8;
/** Without ZIP64 extensions sizes and offsets are 32-bit and entry counts 16-bit. */
const MAX_BYTES = 0xffffffff;
const MAX_ENTRIES = 0xffff;

/** MS-DOS date and time (2-second resolution, local fields taken as UTC, years 1980–2107). */
function dosDateTime(at: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, at.getUTCFullYear()));
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

function checkName(name: string, seen: Set<string>): Buffer {
  const hasControl = [...name].some((c) => c.charCodeAt(0) < 0x20);
  if (name === '' || name === '.' || name === '..' || hasControl || /[\\/:*?"<>|]/.test(name))
    throw new Error(`createZip: "${name}" is not a plain file name.`);
  if (seen.has(name.toLowerCase()))
    throw new Error(
      `createZip: two entries are named "${name}" (names are compared without case).`,
    );
  seen.add(name.toLowerCase());
  return Buffer.from(name, 'utf8');
}

/**
 * A ZIP archive of `entries`, in order. Each entry is deflated when that makes it smaller and
 * stored otherwise (PNGs and .nii.gz are compressed already). `modifiedAt` is written as every
 * entry's time, so the same inputs give the same bytes. Throws for names with folders or
 * characters Windows refuses, duplicate names, and archives that would need ZIP64 (4 GiB).
 */
export function createZip(entries: readonly ZipEntry[], modifiedAt: Date): Buffer {
  if (entries.length > MAX_ENTRIES)
    throw new Error(`createZip: ${entries.length} entries; at most ${MAX_ENTRIES} without ZIP64.`);
  const { time, date } = dosDateTime(modifiedAt);
  const seen = new Set<string>();
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = checkName(entry.name, seen);
    const deflated = deflateRawSync(entry.bytes, { level: 9 });
    const isDeflated = deflated.length < entry.bytes.length;
    const data = isDeflated
      ? deflated
      : Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.byteLength);
    if (entry.bytes.length > MAX_BYTES || offset + 30 + name.length + data.length > MAX_BYTES)
      throw new Error('createZip: the archive would exceed 4 GiB, which needs ZIP64.');
    const crc = crc32(entry.bytes);
    const method = isDeflated ? DEFLATE : STORE;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(entry.bytes.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    parts.push(local, name, data);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4); // made by: MS-DOS attributes, version 2.0
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(UTF8_NAMES, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(entry.bytes.length, 24);
    header.writeUInt16LE(name.length, 28);
    // Extra and comment lengths, disk number and attributes stay 0.
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(entries.length, 8); // entries on this disk
  end.writeUInt16LE(entries.length, 10); // entries in all
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
