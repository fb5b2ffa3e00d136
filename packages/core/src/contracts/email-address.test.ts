import { test } from "uvu";
import * as assert from "uvu/assert";
import { EMAIL_ACCEPTED, EMAIL_REFUSED } from "../testing/email-cases.ts";
import { isDomainName, isEmailAddress } from "./email-address.ts";

test("addresses of the common form are accepted, the apostrophe and other atext included", () => {
  for (const address of EMAIL_ACCEPTED) assert.ok(isEmailAddress(address), address);
});

test("dots leading, trailing or doubled, bad host labels, a one-label domain, over-long parts: refused", () => {
  for (const address of [...EMAIL_REFUSED, "", " a@example.com", "a@example.com "]) {
    assert.not.ok(isEmailAddress(address), address);
  }
});

test("domain names: two labels or more, host-name labels, a letter or A-label top", () => {
  assert.ok(isDomainName("example.com"));
  assert.ok(isDomainName("mail.example.co.uk"));
  assert.not.ok(isDomainName("com"));
  assert.not.ok(isDomainName("-a.com"));
  assert.not.ok(isDomainName("a_b.com"));
  assert.not.ok(isDomainName("example.com."));
});

test.run();
