// The review of a suspension in the browser, /personal/suspension: in each language a
// unit administrator of the wizard's clinic looks the wizard's person up (posted,
// never in the address), after the test marks them suspended by the IMSS roll; a
// reason too short is refused at its field; a lift with a reason ends the
// suspension (so the flows after this one find the person as before). Every page
// audited (status, lang, weight, axe). The checks look at the markup, never at the
// wording.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { arrive, check, eachStaffMember, marked, send, signInWithCode, wizardPerson } from './staff.mjs';

const PAGE = '/personal/suspension';
const DECIDE = '/personal/suspension/decision';

export async function suspensionFlow(t) {
    const person = wizardPerson(t, 'suspension');
    if (!person) return;
    await eachStaffMember(t, 'suspension', 'unit_admin', person.clinic, 'admin-suspension', async (s, email, code) => {
        suspend(t, person.curp);
        await walk(s, email, code, person.curp);
    });
}

// As `padron crosscheck --suspend` would leave the enrollment (its credential aside).
function suspend(t, curp) {
    execFileSync('sqlite3', [
        path.join(t.dataDir, 'padron.db'),
        `UPDATE registration SET suspended_at = CAST(strftime('%s', 'now') AS INTEGER) - 60,
         suspended_institution = 0 WHERE curp = '${curp}' AND status = 1`,
    ]);
}

async function walk(s, email, code, curp) {
    await signInWithCode(s, email, code);
    await arrive(s, await s.t.visit(s.page, PAGE), PAGE, 'suspension-empty');
    await s.page.locator('[name="curp"]').fill(curp);
    await arrive(s, await send(s, '[name="curp"]'), PAGE, 'suspension-case');
    const form = await s.page.locator(`form[action="${DECIDE}"]`).count();
    check(s, 'a suspended person: the decision form', form === 1, `${form} forms`);
    check(s, 'the CURP is not in the address', !s.page.url().toUpperCase().includes(curp), s.page.url());

    await s.page.locator('#decision-lift').check();
    await s.page.locator('#reason').fill('corto');
    await arrive(s, await send(s, '#reason'), DECIDE, 'suspension-refused', [422]);
    await marked(s, 'reason', 'a short reason');

    await s.page.locator('#decision-lift').check();
    await s.page.locator('#reason').fill('Dejó el empleo en el IMSS; trae su constancia de baja.');
    await arrive(s, await send(s, '#reason'), DECIDE, 'suspension-lifted');
    const notice = await s.page.locator('[role="status"]').count();
    const left = await s.page.locator(`form[action="${DECIDE}"]`).count();
    check(s, 'lifted: the notice, and no decision left to take', notice === 1 && left === 0, `${notice} notices, ${left} forms`);
}
