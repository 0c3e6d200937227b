import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, installed by the set-up when it is missing (the tests need no download). */
export function ensureChromium(): string {
  if (!existsSync(CHROMIUM)) {
    const install = spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit' });
    if (install.status !== 0 || !existsSync(CHROMIUM)) {
      throw new Error('Chromium is missing and `apt-get install -y chromium` failed');
    }
  }
  return CHROMIUM;
}

export async function freshProfileDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'theatre-web-chromium-'));
}

export interface BrowserOptions {
  /** The same directory again is the same browser profile after a restart. */
  profileDir: string;
  /** A Y4M or MJPEG file the fake camera shows. */
  cameraFile?: string;
}

/** Headless Chromium with a profile of its own, nothing fetched from the network by itself. */
export function launchBrowser({ profileDir, cameraFile }: BrowserOptions): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: ensureChromium(),
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      ...(cameraFile === undefined
        ? []
        : [
            '--use-fake-ui-for-media-stream',
            '--use-fake-device-for-media-stream',
            `--use-file-for-fake-video-capture=${cameraFile}`,
          ]),
    ],
    ...(cameraFile === undefined ? {} : { permissions: ['camera'] }),
  });
}

/** WCAG 2.2 AA violations axe-core finds on the page as it is now, as readable lines. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
}
