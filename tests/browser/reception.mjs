// Booking and check-in in the browser: a person the wizard enrolled signs in,
// books a slot of today at /cuenta/citas and reads their folio on /cuenta; a
// receptionist of their home clinic signs in at /personal/entrar, checks them in
// by folio at /personal/recepcion, sees their turn, and moves them to "in
// consultation" and then "done" with the row's buttons. In each language, every
// desk page audited (status, lang, weight, reflow, axe); the person's pages only
// lead where they should here (flows.mjs audits them), except /cuenta/citas with
// the booking listed, audited here like every page.
// Like the other flows, the checks look at where each form leads and at the
// markup, never at the wording.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

const PERSON_PASSWORD = 'Nopal-Azul#Tlayuda7'; // flows.mjs
const STAFF_PASSWORD = 'Tlacolula-Verde#2026';
const FOLIO = /IB\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}/;
const RECEPTION = '/personal/recepcion';

export async function receptionFlow(t) {
    // The wizard's people (flows.mjs): walk 1 in Spanish, walk 3 in English.
    const people = { es: 'persona1@ejemplo.mx', en: 'persona3@ejemplo.mx' };
    const db = path.join(t.dataDir, 'padron.db');
    const turns = new Map(); // check-ins so far per unit: the next turn
    for (const lang of t.languages) {
        const name = `reception [${lang.code}]`;
        const email = people[lang.code];
        const clinic = execFileSync(
            'sqlite3',
            [
                db,
                `SELECT h.clues FROM home_clinic h JOIN registration r ON r.id = h.registration
                 WHERE r.email = '${email}' AND r.status = 1 ORDER BY h.id DESC LIMIT 1`,
            ],
            { encoding: 'utf8' },
        ).trim();
        if (!/^[A-Z]{5}\d{6}$/.test(clinic)) {
            t.fail(`${name}: the wizard's person has a home clinic`, [`found "${clinic}"`]);
            continue;
        }
        // Open all day in hourly slots: a slot later today is there until 22:00.
        execFileSync(t.padron, ['schedule', 'set', '--unit', clinic, '--hours', 'DLMXJVS 00:00-23:59',
            '--slot-minutes', '60', '--capacity', '4', '--data', t.dataDir]);
        const person = { t, lang, name: `${name} person`, ...(await t.open(lang)) };
        let folio = null;
        try {
            folio = await book(person, email);
        } catch (e) {
            t.fail(`${person.name} walk stopped`, [e.message.split('\n')[0]]);
        } finally {
            await person.context.close();
        }
        if (!folio) continue;
        const turn = (turns.get(clinic) ?? 0) + 1;
        turns.set(clinic, turn);
        const staffEmail = `turnos-${lang.code}@salud.gob.mx`;
        const added = execFileSync(t.padron, ['staff', 'add', '--role', 'receptionist', '--unit', clinic,
            '--email', staffEmail, '--data', t.dataDir], { encoding: 'utf8' });
        const code = added.match(/[0-9A-Z]{4}(-[0-9A-Z]{4}){4}/)?.[0];
        const set = await fetch(new URL('/api/v1/staff/password', t.url), {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ email: staffEmail, code, password: STAFF_PASSWORD }),
        });
        if (set.status !== 200) {
            t.fail(`${name} the receptionist's password is set`, [`status ${set.status}`]);
            continue;
        }
        const desk = { t, lang, name: `${name} desk`, ...(await t.open(lang)) };
        try {
            await checkIn(desk, staffEmail, folio, turn);
        } catch (e) {
            t.fail(`${desk.name} walk stopped`, [e.message.split('\n')[0]]);
        } finally {
            await desk.context.close();
        }
    }
}

// Signs in, books the first open slot of today; returns the folio on /cuenta.
async function book(s, email) {
    await lead(s, await s.t.visit(s.page, '/entrar'), '/entrar');
    await s.page.locator('[name="login"]').fill(email);
    await s.page.locator('[name="password"]').fill(PERSON_PASSWORD);
    await lead(s, await send(s, '[name="password"]'), '/cuenta');
    const folio = (await s.page.locator('main, body').first().innerText()).match(FOLIO)?.[0];
    check(s, 'the account shows the folio', Boolean(folio), 'no IB folio on /cuenta');
    const today = await s.page.evaluate(() => {
        const d = new Date();
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await lead(s, await s.t.visit(s.page, `/cuenta/citas?fecha=${today}`), '/cuenta/citas');
    const open = s.page.locator('input[name="hora"]:not([disabled])');
    if ((await open.count()) < 1) throw new Error("no open slot left today");
    await open.first().check();
    await arrive(s, await send(s, 'input[name="hora"]:checked'), '/cuenta/citas', 'reception-booked');
    const cancel = await s.page.locator('form[action$="/cancelar"]').count();
    check(s, 'the booking is listed', cancel === 1, `${cancel} booked appointment(s)`);
    return folio;
}

// Signs in at the desk, checks the person in by folio, then calls them in and finishes.
async function checkIn(s, email, folio, turn) {
    await arrive(s, await s.t.visit(s.page, '/personal/entrar'), '/personal/entrar', 'reception-desk-sign-in');
    await s.page.locator('[name="email"]').fill(email);
    await s.page.locator('[name="password"]').fill(STAFF_PASSWORD);
    await arrive(s, await send(s, '[name="password"]'), '/personal/persona', 'reception-desk-signed-in');
    await arrive(s, await s.t.visit(s.page, RECEPTION), RECEPTION, 'reception-desk-list');

    await s.page.locator('[name="folio"]').fill('IB26-NOPE');
    await arrive(s, await send(s, '[name="folio"]'), RECEPTION, 'reception-desk-bad-folio', [422]);
    const invalid = await s.page.locator('#folio[aria-invalid="true"]').count();
    check(s, 'a malformed folio: the field is marked', invalid === 1, `${invalid} aria-invalid`);

    await s.page.locator('[name="folio"]').fill(folio.toLowerCase());
    await arrive(s, await send(s, '[name="folio"]'), RECEPTION, 'reception-desk-checked-in');
    const shown = (await s.page.locator('#turn').innerText()).trim();
    check(s, `the turn is ${turn}`, shown === String(turn), `turn "${shown}"`);

    for (const next of ['in_consultation', 'done']) {
        const row = s.page.locator(`li:has-text("${folio}")`);
        const button = row.locator(`form:has(input[name="status"][value="${next}"]) button`);
        if ((await button.count()) !== 1) throw new Error(`no "${next}" button on the row`);
        await arrive(s, await send(s, `li:has-text("${folio}") input[name="status"][value="${next}"]`), RECEPTION,
            `reception-desk-${next}`);
    }
    const done = await s.page.locator(`ol[aria-labelledby="group-done"] li:has-text("${folio}")`).count();
    check(s, 'the person is listed as done', done >= 1, `${done} row(s) under done`);
}

function send(s, selector) {
    return s.t.submit(s.page, s.page.locator(selector).first());
}

function check(s, what, ok, detail) {
    if (ok) s.t.pass(`${s.name} ${what}`);
    else s.t.fail(`${s.name} ${what}`, [detail]);
}

// The page must be where, with status 200.
async function lead(s, res, where) {
    const at = new URL(s.page.url()).pathname;
    if (at !== where || res?.status() !== 200) throw new Error(`${where}: led to ${s.page.url()} with status ${res?.status()}`);
    s.tracker.reset();
}

// The page must be where; then it is audited like every page.
async function arrive(s, res, where, shot, status = 200) {
    const at = new URL(s.page.url()).pathname;
    if (at !== where) throw new Error(`${where}: led to ${s.page.url()} with status ${res?.status()}`);
    await s.t.audit(s.page, s.tracker, res, { label: shot, lang: s.lang, name: shot, status });
    s.tracker.reset();
}
