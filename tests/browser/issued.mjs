// The pages of letters and verification, walked with their plain forms in each
// language: /cartas with a mistake and then right, the letter issued (its folio,
// QR code and PDF link), its status page /cartas/{folio}, and /verificar with an
// empty text and then the letter's QR text. Every page on the way is audited
// like the pages of pages.mjs (status, lang, weight, reflow, errors, axe). The
// credential page is audited by the wizard's walk, which has a signed-in person.
//
// The server's IMSS roll is loaded first (padron import affiliations): letters
// are refused with 503 while it is missing. Two letters a language, well under
// the 20 an hour the server allows one client address.

import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const CURP = 'GODE561231MHGMZM07'; // not in the roll: gets a letter
const INVALID_CURP = 'GODE561231MHGMZM09'; // check digit: expected 7
const LETTER_FOLIO = /^NA\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

export async function issuedFlow(t) {
    const roll = path.join(t.dataDir, '..', 'imss.csv');
    await writeFile(roll, 'curp,status\nSABC560626MDFLRN01,active\n');
    execFileSync(t.padron, ['import', 'affiliations', '--institution', 'IMSS', roll, '--data', t.dataDir]);
    for (const lang of t.languages) {
        const s = await t.open(lang);
        const w = { t, lang, ...s, name: `letters [${lang.code}]` };
        try {
            await lettersWalk(w);
        } catch (e) {
            t.fail(`${w.name} walk stopped`, [e.message.split('\n')[0]]);
        } finally {
            await w.context.close();
        }
    }
}

async function lettersWalk(w) {
    await arrive(w, await w.t.visit(w.page, '/cartas'), '/cartas', 'letters');
    await w.page.locator('[name="curp"]').fill(INVALID_CURP);
    await w.page.locator('[name="email"]').fill('emma@ejemplo.mx');
    await arrive(w, await send(w, 'curp'), '/cartas', 'letters-error', 422);
    const invalid = await w.page.locator('#curp').getAttribute('aria-invalid');
    check(w, 'a wrong CURP is marked at its field', invalid === 'true', `aria-invalid ${invalid}`);

    await w.page.locator('[name="curp"]').fill(CURP);
    await arrive(w, await send(w, 'curp'), '/cartas', 'letter-issued');
    const strong = (await w.page.locator('main strong').allInnerTexts()).map((s) => s.trim());
    const folio = strong.find((s) => LETTER_FOLIO.test(s));
    check(w, 'the letter has a folio', Boolean(folio), JSON.stringify(strong));
    const svg = await w.page.locator('main svg[role="img"] title').count();
    check(w, 'the letter shows its QR code', svg === 1, `${svg} svg with a title`);
    const pdf = await w.page.locator('form[method="post"][action$="/pdf"] input[name="key"]').count();
    const keyLinks = await w.page.locator('a[href*="key="]').count();
    check(w, 'the letter\'s PDF is a posted form, its key in no link', pdf === 1 && keyLinks === 0,
        `${pdf} form(s), ${keyLinks} link(s) with a key`);
    if (pdf === 1) {
        const [download] = await Promise.all([
            w.page.waitForEvent('download'),
            w.page.locator('form[action$="/pdf"] button').click(),
        ]);
        const name = download.suggestedFilename();
        check(w, 'the download button gives the letter\'s PDF', /^carta-NA\d{2}-.*\.pdf$/.test(name), name);
    }
    if (!folio) return;

    await arrive(w, await w.t.visit(w.page, `/cartas/${folio}`), `/cartas/${folio}`, 'letter-status');

    // The QR text a scanner would type: asked for through the API.
    const res = await fetch(new URL('/api/v1/letters', w.t.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ curp: CURP, institution: 'IMSS', email: 'emma@ejemplo.mx' }),
        signal: AbortSignal.timeout(15_000),
    });
    const { qr } = await res.json();
    await arrive(w, await w.t.visit(w.page, '/verificar'), '/verificar', 'verify');
    await arrive(w, await send(w, 'qr'), '/verificar', 'verify-error', 422);
    await w.page.locator('[name="qr"]').fill(qr ?? '');
    await arrive(w, await send(w, 'qr'), '/verificar', 'verify-result');
    const state = await w.page.locator('.state.ok').count();
    check(w, 'the letter verifies', state === 1, `${state} .state.ok`);
}

function send(w, name) {
    return w.t.submit(w.page, w.page.locator(`[name="${name}"]`));
}

function check(w, what, ok, detail) {
    if (ok) w.t.pass(`${w.name} ${what}`, detail);
    else w.t.fail(`${w.name} ${what}`, [detail]);
}

async function arrive(w, res, where, shot, status = 200) {
    const at = new URL(w.page.url()).pathname;
    if (at !== where) throw new Error(`${where}: led to ${w.page.url()} with status ${res?.status()}`);
    await w.t.audit(w.page, w.tracker, res, { label: `${where}`, lang: w.lang, name: shot, status });
    w.tracker.reset();
}
