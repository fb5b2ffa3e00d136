import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Resume } from "../resume/resume.ts";
import { renderHtml } from "./render-html.ts";

const withText = (summary: string, highlight = "x"): Resume => ({
  basics: { name: "Sam", summary },
  work: [{ name: "Acme", highlights: [highlight] }],
});

test("Markdown links in CV text become links, for web and mail addresses only", () => {
  const html = renderHtml(
    withText(
      "I work at [Reddit](https://www.redditinc.com/) & [write](mailto:sam@example.org).",
      "Shipped on the [Google Play Store](https://play.google.com/store?id=1&hl=en).",
    ),
  );
  assert.ok(
    html.includes(
      '<p>I work at <a href="https://www.redditinc.com/">Reddit</a> &amp; <a href="mailto:sam@example.org">write</a>.</p>',
    ),
    html,
  );
  assert.ok(
    html.includes(
      '<li>Shipped on the <a href="https://play.google.com/store?id=1&amp;hl=en">Google Play Store</a>.</li>',
    ),
    html,
  );
  assert.not.ok(html.includes("]("), html);
});

test("any other link stays text, escaped: no javascript:, data: or markup gets through", () => {
  const html = renderHtml(
    withText(
      'See [docs](javascript:alert(1)) and [x](data:text/html,<b>) and [<img src=x>](https://e.org/") and [a](https://e.org/"onmouseover=1).',
    ),
  );
  assert.not.match(html, /href="(?!https?:|mailto:)/);
  assert.not.match(html, /<img|<b>|javascript:alert\(1\)"/);
  assert.ok(html.includes("[docs](javascript:alert(1))"), html);
  assert.ok(html.includes("[&lt;img src=x&gt;](https://e.org/&quot;)"), html);
  assert.not.match(html, /<a [^>]*"onmouseover/);
});

test("award dates read as work dates do", () => {
  const html = renderHtml({
    basics: { name: "Sam" },
    work: [{ name: "Acme", startDate: "2018-01" }],
    awards: [{ title: "Finalist", awarder: "nwHacks", date: "2018-01-14" }],
  });
  assert.ok(html.includes('<p class="meta">Jan 2018</p>'), html);
  assert.not.ok(html.includes("2018-01-14"), html);
});

test.run();
