#!/usr/bin/env node
// padron's interoperability test for signed envelopes (docs/credential.md).
// The C side is build/tests/envelope-tool (tests/interop/envelope-tool.c); the
// other side is independent JavaScript: cose-js (ES256 through elliptic, not
// OpenSSL), cbor, base45 and node's zlib.
//
//   1. C issues, JavaScript verifies: prefix, base45, inflate, COSE_Sign1 with the
//      JWK that C exported, CWT claims and padron's claim map, and the kid rule
//      (first 8 bytes of SHA-256 of the SubjectPublicKeyInfo) recomputed by node.
//   2. JavaScript issues, C verifies: a key made by node, claims encoded by cbor,
//      signed by cose-js, deflated by zlib, base45 by base45; C must say valid,
//      and bad_signature, expired, unknown_key, malformed where it should.
//   3. The trust list and the revocation list C signs (detached JWS over the JCS
//      form) verify with node's crypto.verify (dsaEncoding ieee-p1363).
//
// Prints one line per check and "interop: N passed, N failed"; exit 1 on failure.
//   ENVELOPE_TOOL=build/tests/envelope-tool node tests/interop/run.mjs
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, verify as cryptoVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cose = require('cose-js');
const cbor = require('cbor');
const base45 = require('base45');

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const TOOL = path.resolve(root, process.env.ENVELOPE_TOOL || 'build/tests/envelope-tool');
const PREFIX = 'PB1:';
const NOW = 1767225600; // 2026-01-01T00:00:00Z
const CLAIM_PADRON = -65537;

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
    if (ok) {
        passed++;
        console.log(`ok   ${name}`);
    } else {
        failed++;
        console.log(`FAIL ${name}${detail ? `\n     ${detail}` : ''}`);
    }
}
function tool(...args) {
    return execFileSync(TOOL, args, { encoding: 'utf8' });
}
const b64url = (buf) => Buffer.from(buf).toString('base64url');
const fromB64url = (s) => Buffer.from(s, 'base64url');
function kidOf(jwk) {
    const spki = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(spki).digest().subarray(0, 8);
}

const dir = mkdtempSync(path.join(tmpdir(), 'padron-interop-'));
try {
    // ---- 1. C issues, JavaScript verifies ----
    tool('keygen', dir);
    const jwk = JSON.parse(readFileSync(path.join(dir, 'jwk.json'), 'utf8'));
    check('C key: JWK is EC P-256 ES256', jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.alg === 'ES256');
    check('C key: kid is SHA-256(SPKI)[0..8] as node computes it', b64url(kidOf(jwk)) === jwk.kid,
        `${b64url(kidOf(jwk))} != ${jwk.kid}`);

    const text = tool('issue', dir, String(NOW)).trim();
    check('C text: prefix and QR alphanumeric alphabet',
        text.startsWith(PREFIX) && /^[0-9A-Z $%*+\-./:]+$/.test(text));
    const zbytes = base45.decode(text.slice(PREFIX.length));
    const coseBytes = zlib.inflateSync(zbytes);
    const outer = cbor.decodeFirstSync(coseBytes);
    check('C COSE: tag 18 around an array of 4', outer instanceof cbor.Tagged && outer.tag === 18 &&
        Array.isArray(outer.value) && outer.value.length === 4);
    const prot = cbor.decodeFirstSync(outer.value[0]);
    check('C COSE: protected header is {1: -7, 4: kid}', prot instanceof Map && prot.size === 2 &&
        prot.get(1) === -7 && Buffer.compare(prot.get(4), fromB64url(jwk.kid)) === 0);
    check('C COSE: signature is 64 bytes (r || s)', outer.value[3].length === 64);

    let payload = null;
    try {
        payload = await cose.sign.verify(coseBytes, { key: { x: fromB64url(jwk.x), y: fromB64url(jwk.y) } });
        check('C signature verifies with cose-js (elliptic)', true);
    } catch (e) {
        check('C signature verifies with cose-js (elliptic)', false, String(e));
    }
    if (payload) {
        const claims = cbor.decodeFirstSync(payload);
        check('C CWT: iss, iat, exp, cti', claims.get(1) === 'IMSS-BIENESTAR' && claims.get(6) === NOW &&
            claims.get(4) === NOW + 365 * 86400 && Buffer.isBuffer(claims.get(7)) && claims.get(7).length === 16);
        const mine = claims.get(CLAIM_PADRON);
        check('C CWT: padron claim map', mine instanceof Map && mine.get(1) === 1 &&
            mine.get(2) === 'IB26-7K3M-9QXD' && mine.get(3) === 'LOCM900627MSPRBR05' &&
            mine.get(4) === 'María del Carmen' && mine.get(7) === '1990-06-27' &&
            JSON.stringify(mine.get(9)) === '[1,2]' && mine.get(10) === 'BCIMB000010',
            JSON.stringify(mine && [...mine]));
        const keys = [...claims.keys()];
        check('C CWT: keys in deterministic order', JSON.stringify(keys) === JSON.stringify([1, 4, 6, 7, CLAIM_PADRON]),
            JSON.stringify(keys));
        check('C CWT: canonical re-encoding is byte-identical',
            Buffer.compare(cbor.encodeCanonical(claims), payload) === 0);
    }
    // A tampered C envelope must fail in cose-js too.
    const tampered = Buffer.from(coseBytes);
    tampered[tampered.length - 70] ^= 1; // inside the payload
    let refused = false;
    try {
        await cose.sign.verify(tampered, { key: { x: fromB64url(jwk.x), y: fromB64url(jwk.y) } });
    } catch {
        refused = true;
    }
    check('C envelope with one payload bit flipped: cose-js refuses', refused);

    // ---- 2. JavaScript issues, C verifies ----
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const priv = privateKey.export({ format: 'jwk' });
    const pubJwk = publicKey.export({ format: 'jwk' });
    const kid = kidOf(pubJwk);
    const jsJwk = { kty: 'EC', crv: 'P-256', x: pubJwk.x, y: pubJwk.y, kid: b64url(kid), alg: 'ES256' };
    const jwkPath = path.join(dir, 'js-jwk.json');
    writeFileSync(jwkPath, JSON.stringify(jsJwk));

    async function jsIssue(claimsMap, { p = { alg: 'ES256', kid }, u = {}, prefix = PREFIX } = {}) {
        const signed = await cose.sign.create({ p, u }, cbor.encode(claimsMap), { key: { d: fromB64url(priv.d) } });
        return prefix + base45.encode(zlib.deflateSync(signed));
    }
    function claimsOf({ iat = NOW - 3600, exp = NOW + 30 * 86400, nbf } = {}) {
        const m = new Map();
        m.set(1, 'node-issuer');
        m.set(4, exp);
        if (nbf !== undefined) m.set(5, nbf);
        m.set(6, iat);
        m.set(7, Buffer.from('0102030405060708', 'hex'));
        const mine = new Map([[1, 2], [3, 'LOCM900627MSPRBR05'], [4, 'José'], [5, 'Núñez'],
            [7, '1990-06-27'], [11, 'ISSSTE']]);
        m.set(CLAIM_PADRON, mine);
        return m;
    }
    function cVerify(qr, now = NOW, jwkFile = jwkPath) {
        const out = tool('verify', jwkFile, String(now), qr);
        const [first, ...rest] = out.split('\n');
        const [result, layer, reason] = first.split('\t');
        const fields = Object.fromEntries(rest.filter(Boolean).map((l) => {
            const i = l.indexOf('=');
            return [l.slice(0, i), l.slice(i + 1)];
        }));
        return { result, layer, reason, fields };
    }

    const good = await jsIssue(claimsOf());
    let v = cVerify(good);
    check('JS-signed envelope: C says valid', v.result === 'valid', `${v.result} ${v.layer} ${v.reason}`);
    check('JS-signed envelope: C reads the claims', v.fields.iss === 'node-issuer' &&
        v.fields.cti === '0102030405060708' && v.fields.kind === '2' && v.fields.given === 'José' &&
        v.fields.surname1 === 'Núñez', JSON.stringify(v.fields));
    v = cVerify(good, NOW + 31 * 86400);
    check('JS-signed envelope a month later: expired', v.result === 'expired', v.result);
    v = cVerify(await jsIssue(claimsOf({ nbf: NOW + 86400 })));
    check('JS-signed envelope with nbf tomorrow: not_yet_valid', v.result === 'not_yet_valid', v.result);
    v = cVerify(good, NOW, path.join(dir, 'jwk.json'));
    check('JS-signed envelope against the C key: unknown_key', v.result === 'unknown_key', v.result);

    // kid in the unprotected header (as some EU DCC issuers do): accepted.
    v = cVerify(await jsIssue(claimsOf(), { p: { alg: 'ES256' }, u: { kid } }));
    check('JS-signed, kid unprotected: valid', v.result === 'valid', `${v.result} ${v.reason}`);
    // Untagged COSE_Sign1 from cose-js's excludetag option.
    {
        const signed = await cose.sign.create({ p: { alg: 'ES256', kid }, u: {} }, cbor.encode(claimsOf()),
            { key: { d: fromB64url(priv.d) } }, { excludetag: true });
        v = cVerify(PREFIX + base45.encode(zlib.deflateSync(signed)));
        check('JS-signed, untagged: valid', v.result === 'valid', `${v.result} ${v.reason}`);
    }
    // Tampering after signing: re-encode the payload with one claim changed.
    {
        const signed = await cose.sign.create({ p: { alg: 'ES256', kid }, u: {} }, cbor.encode(claimsOf()),
            { key: { d: fromB64url(priv.d) } });
        const msg = cbor.decodeFirstSync(signed);
        const claims = cbor.decodeFirstSync(msg.value[2]);
        claims.set(4, NOW + 3650 * 86400);
        msg.value[2] = cbor.encode(claims);
        v = cVerify(PREFIX + base45.encode(zlib.deflateSync(cbor.encode(msg))));
        check('JS-signed, exp extended afterwards: bad_signature', v.result === 'bad_signature', v.result);
        msg.value[3] = msg.value[3].subarray(0, 63);
        v = cVerify(PREFIX + base45.encode(zlib.deflateSync(cbor.encode(msg))));
        check('JS-signed, 63-byte signature: bad_signature', v.result === 'bad_signature', v.reason);
    }
    v = cVerify(await jsIssue(claimsOf(), { prefix: 'HC1:' }));
    check('JS-signed with an EU DCC prefix: malformed prefix', v.result === 'malformed' && v.layer === 'prefix',
        `${v.result} ${v.layer}`);
    v = cVerify(PREFIX + base45.encode(zlib.deflateSync(Buffer.alloc(1 << 20))));
    check('zip bomb from node: malformed zlib', v.result === 'malformed' && v.layer === 'zlib',
        `${v.result} ${v.layer} ${v.reason}`);
    v = cVerify(PREFIX + base45.encode(zlib.gzipSync(Buffer.from('x'))));
    check('gzip instead of zlib: malformed zlib', v.result === 'malformed' && v.layer === 'zlib', v.layer);

    // ---- 3. The trust list and the revocation list: detached JWS over JCS ----
    // RFC 8785 for our subset (ASCII strings, safe integers): member names sorted,
    // no whitespace; JSON.stringify writes strings and integers as JCS does.
    const jcs = (v) => Array.isArray(v) ? `[${v.map(jcs).join(',')}]`
        : v !== null && typeof v === 'object'
            ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${jcs(v[k])}`).join(',')}}`
            : JSON.stringify(v);
    function jwsVerifies(doc, keys) {
        const { signature, ...rest } = doc;
        const header = JSON.parse(fromB64url(signature.protected).toString('utf8'));
        const key = keys.find((k) => k.kid === header.kid);
        if (header.alg !== 'ES256' || !key) return false;
        const input = `${signature.protected}.${b64url(Buffer.from(jcs(rest), 'utf8'))}`;
        const pub = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: key.x, y: key.y }, format: 'jwk' });
        return cryptoVerify('sha256', Buffer.from(input, 'ascii'),
            { key: pub, dsaEncoding: 'ieee-p1363' }, fromB64url(signature.signature));
    }
    const keysDir = path.join(dir, 'keys');
    const trust = JSON.parse(tool('trust-list', keysDir));
    check('trust list: issuer, issued_at, keys with use and validity', trust.issuer === 'IMSS-BIENESTAR' &&
        Number.isInteger(trust.issued_at) && trust.keys.length === 1 && trust.keys[0].use === 'sig' &&
        trust.keys[0].not_before < trust.keys[0].not_after, JSON.stringify(trust));
    check('trust list: every kid is SHA-256(SPKI)[0..8] as node computes it',
        trust.keys.every((k) => b64url(kidOf({ kty: 'EC', crv: 'P-256', x: k.x, y: k.y })) === k.kid));
    check('trust list: the JWS verifies with node crypto (ieee-p1363) over the JCS bytes',
        jwsVerifies(trust, trust.keys));
    check('trust list: the protected header is exactly {"alg","kid"}',
        JSON.stringify(Object.keys(JSON.parse(fromB64url(trust.signature.protected))).sort()) === '["alg","kid"]');
    check('trust list with issued_at changed: node refuses it',
        !jwsVerifies({ ...trust, issued_at: trust.issued_at + 1 }, trust.keys));
    const revoked = JSON.parse(tool('revoke', keysDir));
    check('revocation list: the JWS verifies with the trust list\'s key', jwsVerifies(revoked, trust.keys) &&
        revoked.revoked.length === 1 && fromB64url(revoked.revoked[0]).toString('hex') === '5a1e0c2d112233445566778899aabbcc');
    check('revocation list with an id removed: node refuses it',
        !jwsVerifies({ ...revoked, revoked: [] }, trust.keys));
    check('revocation list: next_update a week after issued_at, and signed',
        revoked.next_update - revoked.issued_at === 7 * 86400 &&
        !jwsVerifies({ ...revoked, next_update: revoked.next_update + 86400 }, trust.keys));
} finally {
    rmSync(dir, { recursive: true, force: true });
}
console.log(`interop: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
