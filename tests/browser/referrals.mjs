// The referral page for staff in the browser: a physician at the home clinic of the
// wizard's person chooses a password with the code `padron staff add` prints, signs
// in and opens /personal/referencias (the diagnosis search, the form with the
// suggested level-2 units, the lists), then refers the person and sees the referral
// listed. In each language, every page audited (status, lang, weight, axe). Without
// an imported CIE-10 catalog the referral is refused with 503 at its field, which is
// what the browser server has: the check looks at where the form leads and at
// aria-invalid, never at the wording.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

const PASSWORD = 'Tlacolula-Verde#2026';
const PAGE = { password: '/personal/contrasena', signIn: '/personal/entrar', referrals: '/personal/referencias' };

export async function referralsFlow(t) {
    const stem = 'SABC560626MDFLRN1';
    const curp = stem + execFileSync(t.padron, ['curp', 'check-digit', stem], { encoding: 'utf8' }).trim();
    const clinic = execFileSync(
        'sqlite3',
        [
            path.join(t.dataDir, 'padron.db'),
            `SELECT h.clues FROM home_clinic h JOIN registration r ON r.id = h.registration
             WHERE r.curp = '${curp}' AND r.status = 1 ORDER BY h.id DESC LIMIT 1`,
        ],
        { encoding: 'utf8' },
    ).trim();
    if (!/^[A-Z]{5}\d{6}$/.test(clinic)) {
        t.fail('referrals: the wizard\'s person has a home clinic', [`found "${clinic}"`]);
        return;
    }
    for (const lang of t.languages) {
        const email = `medica-${lang.code}@salud.gob.mx`;
        const added = execFileSync(
            t.padron,
            ['staff', 'add', '--role', 'physician', '--unit', clinic, '--email', email, '--data', t.dataDir],
            { encoding: 'utf8' },
        );
        const code = added.match(/[0-9A-Z]{4}(-[0-9A-Z]{4}){4}/)?.[0];
        const name = `referrals [${lang.code}]`;
        if (!code) {
            t.fail(`${name} padron staff add prints a code`, [added]);
            continue;
        }
        const s = { t, lang, name, ...(await t.open(lang)) };
        try {
            await walk(s, email, code, curp);
        } catch (e) {
            t.fail(`${name} walk stopped`, [e.message.split('\n')[0]]);
        } finally {
            await s.context.close();
        }
    }
}

async function walk(s, email, code, curp) {
    await s.t.visit(s.page, PAGE.password);
    await s.page.locator('[name="email"]').fill(email);
    await s.page.locator('[name="code"]').fill(code);
    await s.page.locator('[name="password"]').fill(PASSWORD);
    await s.page.locator('[name="password2"]').fill(PASSWORD);
    await send(s, '[name="password2"]');
    await s.page.locator('[name="email"]').fill(email);
    await s.page.locator('[name="password"]').fill(PASSWORD);
    await send(s, '[name="password"]');

    await arrive(s, await s.t.visit(s.page, `${PAGE.referrals}?q=E11`), PAGE.referrals, 'referrals-page');
    const units = await s.page.locator('#to_unit option').count();
    check(s, 'the form offers suggested level-2 units', units > 0, `${units} options`);
    await s.page.locator('[name="person"]').fill(curp.toLowerCase());
    await s.page.locator('[name="cie10"]').fill('E11.9');
    await s.page.locator('[name="reason"]').fill('Glucosa alta persistente');
    const res = await send(s, '[name="reason"]');
    const status = res?.status();
    // 303 to the list when the catalog is imported; 503 at the cie10 field when not
    if (status === 503) {
        await arrive(s, res, PAGE.referrals, 'referrals-no-catalog', [503]);
        const marked = await s.page.locator('#cie10[aria-invalid="true"]').count();
        check(s, 'without the CIE-10 catalog the field says so', marked === 1, `${marked} aria-invalid`);
    } else {
        await arrive(s, res, PAGE.referrals, 'referrals-created');
        const listed = await s.page.locator('section h3').count();
        check(s, 'the referral is listed', listed > 0, `${listed} referrals`);
    }
}

function send(s, selector) {
    return s.t.submit(s.page, s.page.locator(selector));
}

function check(s, what, ok, detail) {
    if (ok) s.t.pass(`${s.name} ${what}`);
    else s.t.fail(`${s.name} ${what}`, [detail]);
}

async function arrive(s, res, where, shot, status = 200) {
    const at = new URL(s.page.url()).pathname;
    if (at !== where) throw new Error(`${where}: led to ${s.page.url()} with status ${res?.status()}`);
    await s.t.audit(s.page, s.tracker, res, { label: `staff ${shot}`, lang: s.lang, name: shot, status });
    s.tracker.reset();
}
