// The point-in-time page in Chromium (tests/fixtures/pending): a date typed in the form opens
// the version in force that day, the day of a change opening the new version and the day
// before it the old one; a date before the first version says that none was in force and
// stays; a ?date= in the address is answered with a link, not followed. Without JavaScript,
// the periods are the answer.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fixtureHub, launch, serve } from "./helpers.mjs";

let hub;
let server;
let browser;

before(async () => {
  hub = fixtureHub("pending");
  server = await serve(hub.dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  hub?.remove();
});

const AT = "/acme/privacy-policy/at/";

test("a date opens the version in force that day", { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  for (const [day, version] of [
    ["2015-12-10", "2015-12-10"],
    ["2018-03-01", "2015-12-10"],
    ["2018-03-02", "2018-03-02"],
    ["2019-02-28", "2018-03-02"],
    ["2019-03-01", "2019-03-01"],
    ["2030-01-01", "2019-03-01"],
  ]) {
    await page.goto(server.url + AT);
    await page.fill("#at-date", day);
    await Promise.all([page.waitForURL(`**/acme/privacy-policy/${version}/`), page.click("#at-form button")]);
  }
  await page.goto(server.url + AT);
  await page.fill("#at-date", "2015-12-09");
  await page.click("#at-form button");
  assert.equal(
    await page.textContent("#at-answer"),
    "On 9 December 2015, before 10 December 2015: no version in force.",
  );
  assert.equal(new URL(page.url()).pathname, AT);
  await page.close();
});

test("a date in the address is answered, with a link", { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}${AT}?date=2018-03-01`);
  await page.waitForSelector("#at-answer a");
  assert.equal(
    await page.textContent("#at-answer"),
    "On 1 March 2018, in force from 10 December 2015 to 1 March 2018: version of 10 December 2015. Read it",
  );
  assert.equal(await page.getAttribute("#at-answer a", "href"), "/acme/privacy-policy/2015-12-10/");
  assert.equal(await page.inputValue("#at-date"), "2018-03-01");
  assert.equal(await page.locator(".period-match").count(), 1);
  await page.close();
});

test("without JavaScript the periods are listed and the form stays on the page", { timeout: 60000 }, async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url + AT);
  const periods = await page.locator(".periods .period-text").allTextContents();
  assert.deepEqual(periods, [
    "before 10 December 2015: no version in force",
    "from 10 December 2015 to 1 March 2018: version of 10 December 2015",
    "from 2 March 2018 to 28 February 2019: version of 2 March 2018",
    "from 1 March 2019 onwards: version of 1 March 2019",
  ]);
  await page.fill("#at-date", "2016-01-01");
  await Promise.all([page.waitForURL("**/at/?date=2016-01-01#periods"), page.click("#at-form button")]);
  await context.close();
});
