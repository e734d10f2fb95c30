// The figures page for administrators in the browser, /personal/cifras: in each
// language a unit administrator of the wizard's clinic sees their one unit, and a
// state administrator of Oaxaca sees the state's units with small counts shown as
// "<5"; neither page shows a CURP. Every page audited (status, lang, weight, reflow
// with the wide table, axe). The checks look at the markup, never at the wording.

import { arrive, check, eachStaffMember, signInWithCode, wizardPerson } from './staff.mjs';

const PAGE = '/personal/cifras';
const CURP = /[A-Z]{4}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d/;

export async function figuresFlow(t) {
    const person = wizardPerson(t, 'figures');
    if (!person) return;
    await eachStaffMember(t, 'figures unit', 'unit_admin', person.clinic, 'admin-unidad', async (s, email, code) => {
        const rows = await walk(s, email, code, 'figures-unit');
        const unit = rows.length === 1 && rows[0].includes(person.clinic);
        check(s, 'one row: the administrator\'s unit', unit, rows.join(' | '));
    });
    await eachStaffMember(t, 'figures state', 'state_admin', { state: '20' }, 'admin-estatal', async (s, email, code) => {
        const rows = await walk(s, email, code, 'figures-state');
        check(s, 'the state\'s units are listed', rows.length > 1, `${rows.length} rows`);
        const small = await s.page.locator('td', { hasText: /^<5$/ }).count();
        check(s, 'small counts are shown as <5', small > 0, `${small} cells with <5`);
    });
}

// Signs in, opens the page; returns the text of each row of the table.
async function walk(s, email, code, shot) {
    await signInWithCode(s, email, code);
    await arrive(s, await s.t.visit(s.page, PAGE), PAGE, shot);
    const text = await s.page.locator('main, body').first().innerText();
    check(s, 'no CURP on the page', !CURP.test(text), text.match(CURP)?.[0]);
    return s.page.locator('table tbody tr').allInnerTexts();
}
