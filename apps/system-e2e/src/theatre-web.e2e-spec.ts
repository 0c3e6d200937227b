import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { BrowserContext, Page } from 'playwright-core';

import { encodeWristbandGsrn, testNhsNumber } from '@implant-trace/identifiers';
import { mintDevelopmentToken } from '@implant-trace/platform-auth';

import {
  dropTestSchema,
  freshGtin,
  freshOds,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';

import { accessibilityViolations, freshProfileDir, launchBrowser } from './support/browser';
import { writeCameraFile } from './support/camera-image';
import { RecallMatchingClient, type JsonBody } from './support/recall-matching-client';
import { callService } from './support/service-call';
import type { RunningService } from './support/service-process';
import { startService } from './support/service-process';
import type { RunningPage } from './support/theatre-web-process';
import { startTheatreWeb } from './support/theatre-web-process';

// Ports of this spec only (the other specs use 310x and 312x); 3000 is the page's own.
const PAGE_PORT = 3000;
const REGISTRY_PORT = 3111;
const IMPLANT_EVENTS_PORT = 3112;
const RECALL_MATCHING_PORT = 3113;
const NOTIFICATIONS_PORT = 3114;
const SCREENSHOTS = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

describe('theatre-web in Chromium, against the four services', () => {
  const schemas = {
    'device-registry': uniqueName('e2e_web_device_registry'),
    'implant-events': uniqueName('e2e_web_implant_events'),
    'recall-matching': uniqueName('e2e_web_recall_matching'),
    notifications: uniqueName('e2e_web_notifications'),
  };
  const jwtSecret = randomBytes(32).toString('hex');
  const gtin = freshGtin();
  const ods = freshOds();
  // A second hospital, for the regulator's counts by hospital.
  const otherOds = freshOds();
  let patientSeed = randomInt(0, 800_000);
  const nhsNumber = testNhsNumber(patientSeed++);
  /** Every NHS number of this run: none may reach a regulator screen. */
  const nhsNumbers: string[] = [nhsNumber];
  const wristband = `(8018)${encodeWristbandGsrn('0123456', nhsNumber)}`;
  const recall = {
    title: 'Cup liner wear',
    reason: 'Early wear of the liner in lot LOT-R1',
    class: 'II',
    criteria: { deviceIdentifiers: [gtin], lotNumbers: ['LOT-R1'] },
  };
  let registry: RunningService;
  let implantEvents: RunningService;
  let recallMatching: RunningService;
  let notifications: RunningService;
  let web: RunningPage;
  let profileDir: string;
  let browser: BrowserContext;
  let page: Page;

  const token = (role: 'regulator' | 'theatre' | 'hospital-system', at: string = ods) =>
    mintDevelopmentToken({
      role,
      ...(role === 'regulator' ? {} : { ods: at }),
      secret: jwtSecret,
      issuer: registry.issuer,
      audience: registry.audience,
    });

  async function call(
    service: RunningService,
    method: string,
    path: string,
    bearer: string,
    body?: unknown,
  ): Promise<{ status: number; body: JsonBody }> {
    return callService(service.baseUrl, method, path, bearer, body);
  }

  /** Records an implant over the API at a hospital's theatre, for a patient of this run. */
  async function recordOverApi(at: string, barcode: string): Promise<void> {
    const patient = testNhsNumber(patientSeed++);
    nhsNumbers.push(patient);
    const answer = await call(implantEvents, 'POST', '/v1/implants', await token('theatre', at), {
      barcode,
      patient: { nhsNumber: patient },
    });
    expect(answer.status).toBe(201);
  }

  async function verdictOverApi(barcode: string): Promise<string> {
    const response = await fetch(`${implantEvents.baseUrl}/v1/scans/check`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token('theatre')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ barcode }),
    });
    return ((await response.json()) as { verdict: string }).verdict;
  }

  /** Types as a keyboard-wedge scanner does: all characters at once, then Enter. */
  async function wedgeScan(text: string): Promise<void> {
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  async function screenshot(name: string, fullPage = false): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `theatre-web-${name}.png`), fullPage });
  }

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    // One after another: services started at once on the fresh broker the e2e run begins with
    // race to create the topics they share (one CI run saw recall-matching exit on it), and a
    // service already up is still stopped by afterAll when a later one fails to start.
    registry = await startService('device-registry', {
      port: REGISTRY_PORT,
      schema: schemas['device-registry'],
      jwtSecret,
    });
    implantEvents = await startService('implant-events', {
      port: IMPLANT_EVENTS_PORT,
      schema: schemas['implant-events'],
      jwtSecret,
    });
    recallMatching = await startService('recall-matching', {
      port: RECALL_MATCHING_PORT,
      schema: schemas['recall-matching'],
      jwtSecret,
    });
    notifications = await startService('notifications', {
      port: NOTIFICATIONS_PORT,
      schema: schemas.notifications,
      jwtSecret,
    });
    web = await startTheatreWeb(
      PAGE_PORT,
      { deviceRegistry: registry, implantEvents, recallMatching, notifications },
      { hospitals: [ods, otherOds] },
    );
    const created = await fetch(`${registry.baseUrl}/v1/devices`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token('regulator')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        identifiers: [{ deviceIdentifier: gtin, issuingAgency: 'GS1', type: 'primary' }],
        manufacturer: 'E2E Orthopaedics Ltd',
        brand: 'E2E Hip',
        model: 'Cup 52',
        implantable: true,
        mriSafety: 'conditional',
        labelCarries: {
          lotNumber: true,
          serialNumber: true,
          expirationDate: true,
          manufactureDate: false,
        },
      }),
    });
    expect(created.status).toBe(201);
    await waitFor(async () => (await verdictOverApi(`(01)${gtin}(17)301231(10)LOT-OK`)) === 'OK', {
      timeoutMs: 30_000,
      description: "the device to reach implant-events' replica",
    });
    profileDir = await freshProfileDir();
    browser = await launchBrowser({ profileDir });
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await Promise.all(
      [registry, implantEvents, recallMatching, notifications].map((service) => service?.stop()),
    );
    // One at a time: dropping schemas whose grants share roles at once can deadlock.
    for (const schema of Object.values(schemas)) await dropTestSchema(schema);
  });

  it('signs in through the development role and hospital picker', async () => {
    await page.goto(web.baseUrl);
    await page.getByRole('heading', { name: 'Sign in (development)' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot('sign-in');
    await page.getByLabel('Theatre staff').check();
    await page.getByLabel('Hospital').selectOption(ods);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Patient' }).waitFor();
    const session = await page.evaluate(() => localStorage.getItem('theatre-web.session'));
    expect(JSON.parse(session ?? '{}')).toMatchObject({ role: 'theatre', ods, via: 'development' });
    await page.getByText(`Theatre, ${ods}`).waitFor();
  });

  it('takes a wristband and a device label typed in by a wedge scanner, says OK and records', async () => {
    await wedgeScan(wristband);
    await page.getByTestId('patient').getByText('(wristband)').waitFor();
    await wedgeScan(`01${gtin}17301231${'10'}LOT-OK{GS}21S-1001`);
    const verdict = page.getByRole('alertdialog', { name: 'OK' });
    await verdict.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot('verdict-ok');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Record implant' }).click();
    await page.getByTestId('implant-list').getByText('E2E Orthopaedics Ltd E2E Hip').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot('scan-page');
  });

  it('shows RECALLED full-screen for a recall issued by recall-matching, and waits for the acknowledgement', async () => {
    await new RecallMatchingClient(recallMatching, () => token('regulator')).issue(recall);
    await waitFor(async () => (await verdictOverApi(`(01)${gtin}(10)LOT-R1`)) === 'RECALLED', {
      timeoutMs: 30_000,
      description: 'the recall to reach the recall index',
    });
    await wedgeScan(`01${gtin}17301231${'10'}LOT-R1{GS}21S-2002`);
    const verdict = page.getByRole('alertdialog', { name: 'RECALLED' });
    await verdict.getByText('Recall class II: Cup liner wear').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot('verdict-recalled');
    // Behind the verdict nothing can be pressed until it is acknowledged.
    expect(await page.locator('main').getAttribute('inert')).not.toBeNull();
    await page.getByRole('button', { name: 'I have set this device aside' }).click();
    await page.getByRole('button', { name: 'Record anyway (flagged for review)' }).waitFor();
  });

  it('keeps a recording made while implant-events is unreachable across a reload and a browser restart, then sends it once and shows its late RECALLED', async () => {
    await page.getByRole('button', { name: 'Change patient' }).click();
    await page.route('**/api/implant-events/**', (route) => route.abort('internetdisconnected'));
    await wedgeScan(wristband);
    await wedgeScan(`01${gtin}17301231${'10'}LOT-R1{GS}21S-3003`);
    await page.getByRole('alertdialog', { name: 'UNVERIFIED' }).waitFor();
    await page.getByRole('button', { name: 'I understand it is not verified' }).click();
    await page.getByRole('button', { name: 'Record anyway (flagged for review)' }).click();
    await waitFor(async () => (await page.getByTestId('queue-count').textContent()) === '2', {
      description: 'the check and the recording to wait in the queue',
    });
    await screenshot('offline-queue');

    await page.reload();
    await page.getByTestId('queue-count').getByText('2').waitFor();

    await browser.close();
    browser = await launchBrowser({ profileDir });
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(web.baseUrl);
    const late = page
      .getByRole('alertdialog', { name: 'RECALLED (recorded while offline)' })
      .first();
    await late.waitFor();
    await screenshot('late-recalled');
    while ((await page.getByRole('alertdialog').count()) > 0) {
      // A dialog may close or be rendered anew between the count and the click: count again.
      await page
        .getByRole('alertdialog')
        .getByRole('button')
        .click({ timeout: 2_000 })
        .catch(() => undefined);
    }
    await page.getByTestId('queue-count').getByText('0').waitFor();

    const implants = await fetch(`${implantEvents.baseUrl}/v1/patients/${nhsNumber}/implants`, {
      headers: { authorization: `Bearer ${await token('theatre')}` },
    }).then((response) => response.json() as Promise<{ implants: { serialNumber?: string }[] }>);
    // Sent once, however many tries: the Idempotency-Key made when it was queued.
    expect(implants.implants.filter((implant) => implant.serialNumber === 'S-3003')).toHaveLength(
      1,
    );
  });

  it('lists the recalled recording in the review queue and resolves it with a note', async () => {
    await page.getByRole('link', { name: 'Review queue' }).click();
    const row = page.getByRole('row').filter({ hasText: 'LOT-R1' });
    await row.waitFor();
    expect(await row.textContent()).toContain('RECALLED');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot('review-queue');
    await row.getByLabel('Resolution note').fill('Surgeon told; follow-up clinic booked');
    await row.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('Nothing to review.').waitFor();
  });

  it('reads a GS1 Digital Link QR code from the camera (a test image fed as the camera)', async () => {
    const cameraDir = await freshProfileDir();
    const cameraFile = join(cameraDir, 'label.y4m');
    await writeCameraFile(
      browser,
      `https://id.gs1.org/01/${gtin}/10/LOT-OK/21/S-4004?17=301231`,
      cameraFile,
    );
    const camera = await launchBrowser({ profileDir: await freshProfileDir(), cameraFile });
    try {
      const cameraPage = camera.pages()[0] ?? (await camera.newPage());
      await cameraPage.goto(web.baseUrl);
      await cameraPage.getByLabel('Hospital').selectOption(ods);
      await cameraPage.getByRole('button', { name: 'Sign in' }).click();
      await cameraPage.getByRole('button', { name: 'Scan with the camera' }).click();
      const verdict = cameraPage.getByRole('alertdialog', { name: 'OK' });
      await verdict.waitFor();
      expect(await verdict.textContent()).toContain(
        'E2E Orthopaedics Ltd E2E Hip Cup 52, lot LOT-OK, serial S-4004',
      );
      await cameraPage.getByRole('button', { name: 'Continue' }).click();
      await cameraPage
        .getByRole('table', { name: 'Fields read from the label' })
        .getByText('S-4004')
        .waitFor();
      await cameraPage.screenshot({ path: join(SCREENSHOTS, 'theatre-web-camera-scan.png') });
    } finally {
      await camera.close();
    }
  }, 90_000);

  it('lets a regulator register a device and import a catalogue file with its rejected rows listed', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Regulator').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Register a device' }).waitFor();
    const registered = freshGtin();
    await page.getByLabel('Primary device identifier (GTIN-14)').fill(registered);
    await page.getByLabel('Manufacturer').fill('E2E Cardio Ltd');
    await page.getByLabel('Brand').fill('E2E Valve');
    await page.getByRole('button', { name: 'Register device' }).click();
    await page.getByRole('status').getByText('Registered: device').waitFor();

    const file = join(await freshProfileDir(), 'catalogue.csv');
    const imported = freshGtin();
    await writeFile(
      file,
      [
        'deviceIdentifier,issuingAgency,manufacturer,brand,model,catalogNumber,description,gmdnCode,implantable,mriSafety,lotNumber,serialNumber,expirationDate,manufactureDate,status,otherIdentifiers',
        `${imported},GS1,E2E Spine Ltd,E2E Cage,C-1,REF-C1,Spinal cage,,true,safe,true,true,true,false,on-market,`,
        `${imported.slice(0, 13)}${(Number(imported[13]) + 1) % 10},GS1,E2E Spine Ltd,Bad check digit,,,,,true,safe,true,true,true,false,on-market,`,
      ].join('\n'),
    );
    await page.getByLabel('GUDID pipe-delimited or CSV file').setInputFiles(file);
    await page.getByTestId('import-counts').getByText('2 rows: 1 created').waitFor();
    await page
      .getByRole('table', { name: /Rejected rows/ })
      .getByText('3', { exact: true })
      .waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot('regulator-devices');
  });

  it('lets a regulator build criteria with a live count by hospital, issue the recall, apply the manufacturer’s list and follow its progress, never seeing an NHS number; a theatre then sees RECALLED', async () => {
    // Implants of lot LOT-C1 at two hospitals; one label at the other hospital had no lot.
    await recordOverApi(ods, `(01)${gtin}(17)301231(10)LOT-C1(21)C-1`);
    await recordOverApi(ods, `(01)${gtin}(17)301231(10)LOT-C1(21)C-2`);
    await recordOverApi(otherOds, `(01)${gtin}(17)301231(10)LOT-C1(21)C-3`);
    await recordOverApi(otherOds, `(01)${gtin}(21)C-4`);
    const criteria = { deviceIdentifiers: [gtin], lotNumbers: ['LOT-C1'] };
    await waitFor(
      async () => {
        const answer = await call(
          recallMatching,
          'POST',
          '/v1/recall-queries',
          await token('regulator'),
          { criteria },
        );
        return (
          answer.body['matched']?.['implants'] === 3 && answer.body['possible']?.['implants'] === 1
        );
      },
      { timeoutMs: 60_000, description: "the implants to reach recall-matching's projection" },
    );

    // Everything the regulator's browser receives from here on, for the NHS-number check.
    const answers: Promise<string>[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/api/')) answers.push(response.text().catch(() => ''));
    });
    const screenTexts: string[] = [];
    const keepScreenText = async () => screenTexts.push(await page.locator('body').innerText());

    await page.getByRole('link', { name: 'New recall' }).click();
    await page.getByLabel('Device identifiers (one per line)').fill(gtin);
    await page.getByLabel('Lot numbers', { exact: true }).fill('LOT-C1');
    const dryRun = page.getByTestId('dry-run');
    const rowText = (name: string) =>
      dryRun.getByRole('row', { name: new RegExp(`^${name}`) }).textContent();
    await waitFor(async () => (await rowText(ods)) === `${ods}20`, {
      description: 'the live dry run to count by hospital',
    });
    expect(await rowText(otherOds)).toBe(`${otherOds}11`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await keepScreenText();
    await screenshot('regulator-dry-run');

    // A deadline already past: a hospital that has not started acting is overdue.
    const past = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Title', { exact: true }).fill('Stem fracture');
    await page
      .getByLabel('Reason', { exact: true })
      .fill('Fatigue fracture of stems of lot LOT-C1');
    await page.getByLabel('Class', { exact: true }).selectOption('I');
    await page.getByLabel('Actions underway by').fill(past);
    await page.getByRole('button', { name: 'Issue recall' }).click();
    await page.getByRole('status').getByText('Recall issued: Stem fracture').waitFor();
    const recallId = /\(([0-9a-f-]{36})\)/.exec(
      (await page.getByRole('status').textContent()) ?? '',
    )?.[1];
    expect(recallId).toBeDefined();

    // The manufacturer's list, its columns named by the regulator; one row cannot be read.
    const list = join(await freshProfileDir(), 'affected-units.csv');
    await writeFile(list, ['Batch,Label', 'LOT-C2,', ',not a barcode'].join('\n'));
    await page.getByLabel('Column holding lot numbers').fill('Batch');
    await page.getByLabel('Column holding UDIs (barcode text)').fill('Label');
    await page.getByLabel('widens the criteria (adds its units)').check();
    await page.getByLabel('List of affected units (CSV with a header row)').setInputFiles(list);
    const unreadable = page.getByRole('table', { name: 'Unreadable rows (left out)' });
    await unreadable.waitFor();
    expect(await unreadable.getByRole('row', { name: /^3/ }).textContent()).toContain(
      'the UDI cannot be read',
    );
    expect(await page.getByTestId('scope-report').textContent()).toBe(
      '2 rows read: 1 lots, 0 serials, 0 device identifiers taken; 1 unreadable.',
    );
    const applied = await call(
      recallMatching,
      'GET',
      `/v1/recalls/${recallId}`,
      await token('regulator'),
    );
    expect(applied.body['criteria']['lotNumbers']).toEqual(['LOT-C1', 'LOT-C2']);
    expect(await accessibilityViolations(page)).toEqual([]);
    await keepScreenText();
    await unreadable.scrollIntoViewIfNeeded();
    await screenshot('regulator-scope-list');

    // The first hospital is told, acknowledges and follows a patient up; the other does not.
    const hospital = await token('hospital-system', ods);
    await waitFor(
      async () =>
        (
          await call(notifications, 'POST', `/v1/recalls/${recallId}/acknowledgements`, hospital, {
            stage: 'received',
          })
        ).status === 201,
      { timeoutMs: 60_000, description: 'the notice to reach the hospital' },
    );
    expect(
      (
        await call(notifications, 'POST', `/v1/recalls/${recallId}/acknowledgements`, hospital, {
          stage: 'action-underway',
        })
      ).status,
    ).toBe(201);
    const matches = await call(recallMatching, 'GET', `/v1/recalls/${recallId}/matches`, hospital);
    expect(matches.body['items']).toHaveLength(2);
    const followedUp = await call(
      recallMatching,
      'POST',
      `/v1/recalls/${recallId}/matches/${matches.body['items'][0]['matchId']}/follow-up`,
      hospital,
      { outcome: 'contacted' },
    );
    expect(followedUp.status).toBe(201);
    await waitFor(
      async () => {
        const progress = await call(
          recallMatching,
          'GET',
          `/v1/recalls/${recallId}/progress`,
          await token('regulator'),
        );
        return (
          progress.body['byHospital']?.some(
            (row: JsonBody) =>
              row['ods'] === ods && row['acknowledgement']?.['stage'] === 'action-underway',
          ) === true
        );
      },
      { timeoutMs: 60_000, description: 'the acknowledgement to reach the progress view' },
    );

    await page.getByRole('link', { name: 'Recall progress' }).click();
    await page
      .getByLabel('Recall', { exact: true })
      .selectOption({ label: 'Stem fracture (class I, open)' });
    const hospitals = page.getByRole('table', { name: /Per hospital/ });
    const first = hospitals.getByRole('row', { name: new RegExp(`^${ods}`) });
    await first.waitFor();
    expect(await first.textContent()).toMatch(new RegExp(`^${ods}220.+action-underwayno$`));
    expect(
      await hospitals.getByRole('row', { name: new RegExp(`^${otherOds}`) }).textContent(),
    ).toMatch(new RegExp(`^${otherOds}111.+notifiedOVERDUE$`));
    expect(await page.getByTestId('progress-affected').textContent()).toBe(
      '3 implants, 3 patients, 2 hospitals affected; 1 possible',
    );
    expect(await page.getByRole('img', { name: /acknowledgement stage/ }).textContent()).toContain(
      'action-underway 1',
    );
    await page.getByTestId('follow-up').getByText('contacted: 1').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await keepScreenText();
    await screenshot('regulator-progress', true);

    // No NHS number on any regulator screen, nor in anything the services sent the console.
    const received = await Promise.all(answers);
    expect(received.length).toBeGreaterThan(3);
    for (const text of [...screenTexts, ...received]) {
      expect(text).not.toContain('nhsNumber');
      expect(text).not.toMatch(/\b\d{3}\s?\d{3}\s?\d{4}\b/);
      for (const number of nhsNumbers) {
        expect(text).not.toContain(number);
        expect(text).not.toContain(
          `${number.slice(0, 3)} ${number.slice(3, 6)} ${number.slice(6)}`,
        );
      }
    }

    // In theatre, the recalled lot is now RECALLED.
    await waitFor(async () => (await verdictOverApi(`(01)${gtin}(10)LOT-C1`)) === 'RECALLED', {
      timeoutMs: 30_000,
      description: 'the recall to reach the recall index',
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Theatre staff').check();
    await page.getByLabel('Hospital').selectOption(otherOds);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Patient' }).waitFor();
    await wedgeScan(wristband);
    await page.getByTestId('patient').getByText('(wristband)').waitFor();

    // A label no scanner can read: typed in by hand, marked and flagged as manual.
    await page.getByRole('button', { name: 'No barcode can be read: enter by hand' }).click();
    await page.getByLabel('Device identifier (DI, the GTIN after (01))').fill(gtin);
    await page.getByLabel('Lot number (after (10))').fill('LOT-OK');
    await page.getByLabel('Serial number (after (21))').fill('S-6006');
    await page.getByLabel('Expiry date (after (17))').fill('2030-12-31');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot('manual-entry');
    await page.getByRole('button', { name: 'Record manual entry (flagged for review)' }).click();
    const manual = page
      .getByTestId('implant-list')
      .getByRole('listitem')
      .filter({
        hasText: `Entered by hand: ${gtin}, lot LOT-OK, serial S-6006`,
      });
    await manual.getByText('flagged for review').waitFor();
    const cards = await call(
      implantEvents,
      'GET',
      `/v1/patients/${nhsNumber}/implants`,
      await token('theatre', otherOds),
    );
    expect(
      (cards.body['implants'] as JsonBody[]).find((card) => card['serialNumber'] === 'S-6006'),
    ).toMatchObject({ reviewFlags: expect.arrayContaining(['manual-entry']) });

    await wedgeScan(`01${gtin}17301231${'10'}LOT-C1{GS}21S-5005`);
    await page
      .getByRole('alertdialog', { name: 'RECALLED' })
      .getByText('Recall class I: Stem fracture')
      .waitFor();
    await page.getByRole('button', { name: 'I have set this device aside' }).click();
  }, 240_000);
});
