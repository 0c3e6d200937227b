import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { BrowserContext, Page } from 'playwright-core';

import type { RecallIssuedV1 } from '@implant-trace/contracts';
import { encodeWristbandGsrn, testNhsNumber } from '@implant-trace/identifiers';
import { mintDevelopmentToken } from '@implant-trace/platform-auth';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import { testInfrastructure, uniqueName, waitFor } from '@implant-trace/platform-testing';
import { gs1CheckDigit } from '@implant-trace/udi';

import { accessibilityViolations, freshProfileDir, launchBrowser } from './support/browser';
import { writeCameraFile } from './support/camera-image';
import { RecallPublisher } from './support/recall-publisher';
import type { RunningService } from './support/service-process';
import { startService } from './support/service-process';
import type { RunningPage } from './support/theatre-web-process';
import { startTheatreWeb } from './support/theatre-web-process';

// Ports of this spec only (the other specs use 3101 and 3102); 3000 is the page's own.
const PAGE_PORT = 3000;
const REGISTRY_PORT = 3111;
const IMPLANT_EVENTS_PORT = 3112;
const SCREENSHOTS = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

function freshGtin(): string {
  const body = `0${String(randomInt(10 ** 11, 10 ** 12))}`;
  return `${body}${gs1CheckDigit(body)}`;
}

async function dropSchema(schema: string): Promise<void> {
  const cleanup = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema });
  await cleanup.initialize();
  await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await cleanup.destroy();
}

describe('theatre-web in Chromium, against device-registry and implant-events', () => {
  const registrySchema = uniqueName('e2e_web_device_registry');
  const implantEventsSchema = uniqueName('e2e_web_implant_events');
  const jwtSecret = randomBytes(32).toString('hex');
  const recalls = new RecallPublisher();
  const gtin = freshGtin();
  // A hospital of this run only: the review queue and patient lists hold nothing else.
  const ods = `W${String.fromCharCode(65 + randomInt(26))}${String.fromCharCode(65 + randomInt(26))}${randomInt(10, 99)}`;
  const nhsNumber = testNhsNumber(randomInt(0, 900_000));
  const wristband = `(8018)${encodeWristbandGsrn('0123456', nhsNumber)}`;
  const recall: RecallIssuedV1 = {
    recallId: randomUUID(),
    title: 'Cup liner wear',
    reason: 'Early wear of the liner in lot LOT-R1',
    class: 'II',
    criteria: { deviceIdentifiers: [gtin], lotNumbers: ['LOT-R1'] },
    status: 'open',
    issuedAt: new Date().toISOString(),
  };
  let registry: RunningService;
  let implantEvents: RunningService;
  let web: RunningPage;
  let profileDir: string;
  let browser: BrowserContext;
  let page: Page;

  const token = (role: 'regulator' | 'theatre') =>
    mintDevelopmentToken({
      role,
      ...(role === 'theatre' ? { ods } : {}),
      secret: jwtSecret,
      issuer: registry.issuer,
      audience: registry.audience,
    });

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

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `theatre-web-${name}.png`), fullPage: false });
  }

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    await recalls.start();
    [registry, implantEvents] = await Promise.all([
      startService('device-registry', { port: REGISTRY_PORT, schema: registrySchema, jwtSecret }),
      startService('implant-events', {
        port: IMPLANT_EVENTS_PORT,
        schema: implantEventsSchema,
        jwtSecret,
      }),
    ]);
    web = await startTheatreWeb(
      PAGE_PORT,
      { deviceRegistry: registry, implantEvents },
      { hospitals: [ods, 'RXH01'] },
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
    await Promise.all([registry?.stop(), implantEvents?.stop()]);
    await recalls.stop();
    await Promise.all([dropSchema(registrySchema), dropSchema(implantEventsSchema)]);
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

  it('shows RECALLED full-screen for a recall published on Kafka, and waits for the acknowledgement', async () => {
    await recalls.issue(recall);
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
});
