// A real photo for the upload forms, made here so the test needs no fixture file
// and no other tool: an RGB gradient PNG (the same picture as
// tests/cli/tools/make-png.py), which the server decodes, checks and re-encodes
// like any phone photo.
import { deflateSync } from 'node:zlib';

// CRC-32 (ISO 3309) of a PNG chunk; zlib.crc32 is not in Node 18, Debian 12's.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});

function crc32(bytes) {
    let c = 0xffffffff;
    for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
}

// The PNG file of a width x height gradient, 8-bit RGB, not interlaced.
export function gradientPng(width, height) {
    const stride = 1 + width * 3; // a filter byte (0: none), then the pixels
    const raw = Buffer.alloc(stride * height);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const at = y * stride + 1 + x * 3;
            raw[at] = Math.floor((x * 255) / Math.max(width - 1, 1));
            raw[at + 1] = Math.floor((y * 255) / Math.max(height - 1, 1));
            raw[at + 2] = 128;
        }
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk('IHDR', header),
        chunk('IDAT', deflateSync(raw, { level: 6 })),
        chunk('IEND', Buffer.alloc(0)),
    ]);
}
