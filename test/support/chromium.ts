import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, which `npm test` installs when missing (scripts/ensure-chromium.mjs); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * Flags for a headless run on a machine without a network: background networking, component
 * updates and sync would otherwise try to reach Google at every start.
 */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export interface Rendered {
  /** The page's visible text after load. */
  text: string;
  /** Share of the screenshot's pixels that are not (near) white: 0 for a blank page. */
  ink: number;
  /** Elements that would fetch something or run code: a mail client shows neither. */
  scripts: number;
  images: number;
}

/**
 * Renders an HTML email the way a mail client's web view would (no network, no scripts) and
 * measures its screenshot, decoded by Chromium itself on a canvas.
 */
export async function renderEmailHtml(browser: Browser, html: string): Promise<Rendered> {
  const context = await browser.newContext({ viewport: { width: 800, height: 1200 }, javaScriptEnabled: true, offline: true });
  try {
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    const [text, scripts, images] = await Promise.all([page.innerText('body'), page.locator('script').count(), page.locator('img').count()]);
    const png = await page.screenshot({ fullPage: true, type: 'png' });
    const blank = await context.newPage();
    const ink = Number(await blank.evaluate(inkRatioScript(`data:image/png;base64,${png.toString('base64')}`)));
    return { text, ink, scripts, images };
  } finally {
    await context.close();
  }
}

/** Runs in the page (as source text: the project compiles without DOM types). */
function inkRatioScript(dataUrl: string): string {
  return `(async () => {
    const image = new Image();
    image.src = ${JSON.stringify(dataUrl)};
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, image.width, image.height).data;
    let inked = 0;
    for (let offset = 0; offset < data.length; offset += 4) if (data[offset] < 235 || data[offset + 1] < 235 || data[offset + 2] < 235) inked += 1;
    return inked / (image.width * image.height);
  })()`;
}
