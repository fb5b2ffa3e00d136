import { test } from "uvu";
import * as assert from "uvu/assert";
import { requirementPhrases } from "./requirement-phrases.ts";

/** The phrases of a posting whose lines are all duties (under a "Responsibilities:" heading). */
const phrasesOf = (...lines: string[]): string[] =>
  requirementPhrases({ description: `Responsibilities:\n${lines.map((l) => `- ${l}`).join("\n")}` }).map(
    (p) => p.display,
  );

test("a one-word conjunct shares the other's head; a verb phrase after 'and' is no conjunct", () => {
  const phrases = phrasesOf(
    "Support teams with change and configuration management.",
    "Plan and execute multi-channel campaigns.",
  );
  assert.ok(phrases.includes("change and configuration management"), phrases.join(" | "));
  assert.ok(phrases.includes("multi-channel campaigns"), phrases.join(" | "));
  assert.not.ok(
    phrases.some((p) => p.startsWith("Plan and")),
    phrases.join(" | "),
  );
});

test("known skills on both sides of 'and' stay two requirements", () => {
  const phrases = phrasesOf("Build services in Java and Python.");
  assert.ok(phrases.includes("Java") && phrases.includes("Python"), phrases.join(" | "));
  assert.not.ok(
    phrases.some((p) => p.includes(" and ")),
    phrases.join(" | "),
  );
});

test("a quality of software alone, a phrase headed by a circumstance, and marketing adjectives name no requirement", () => {
  const phrases = phrasesOf(
    "Improve the availability and latency of our services.",
    "Own high availability for the payments platform.",
    "Tackle security challenges with a world-class team.",
    "Build mission-critical data pipelines.",
    "Bring a strong background in the SaaS or PaaS space.",
  );
  assert.ok(phrases.includes("PaaS") && !phrases.includes("PaaS space"), phrases.join(" | "));
  assert.not.ok(phrases.includes("availability"), phrases.join(" | "));
  assert.not.ok(phrases.includes("latency"), phrases.join(" | "));
  assert.ok(phrases.includes("high availability"), phrases.join(" | "));
  assert.not.ok(
    phrases.some((p) => p.includes("challenges") || p.includes("world-class") || p.includes("mission-critical")),
    phrases.join(" | "),
  );
  assert.ok(phrases.includes("data pipelines"), phrases.join(" | "));
});

test("in a posting with marked sections, a phrase its company prose repeats is no requirement unless a known skill", () => {
  const phrases = requirementPhrases({
    description:
      "Introducing the first gift card for stock! Buy gift cards at stores. We build on Kafka, and Kafka Streams powers us.\n\nQualifications:\n- Experience with event-driven services",
  }).map((p) => p.display);
  assert.not.ok(
    phrases.some((p) => p.startsWith("gift card")),
    phrases.join(" | "),
  );
  assert.ok(phrases.includes("Kafka"), phrases.join(" | "));
  assert.ok(phrases.includes("event-driven services"), phrases.join(" | "));
});

test("a duty gerund before a known skill is the activity, and 'easy-to-…' is how a thing is: neither is in the phrase", () => {
  const phrases = phrasesOf(
    "Become a Jedi running A/B tests and analyzing user data.",
    "Develop prototypes of easy-to-navigate user interfaces.",
    "Keep the documentation up-to-date.",
    "Build large scale data processing pipelines.",
  );
  assert.ok(phrases.includes("A/B tests"), phrases.join(" | "));
  assert.ok(phrases.includes("user interfaces"), phrases.join(" | "));
  assert.not.ok(
    phrases.some((p) => /running|easy-to|up-to-date/.test(p)),
    phrases.join(" | "),
  );
  // A gerund inside a phrase that names no known skill after it stays ("data processing pipelines").
  assert.ok(phrases.includes("data processing pipelines"), phrases.join(" | "));
});

test("duty verbs of other trades are cut too: 'Enforce', 'Inspect', 'Supervise', 'Reconcile'", () => {
  const phrases = phrasesOf(
    "Enforce OSHA safety standards on the floor.",
    "Inspect rooftop units and air handlers.",
    "Supervise warehouse associates.",
    "Reconcile vendor statements monthly.",
  );
  for (const p of ["OSHA safety standards", "rooftop units", "vendor statements"])
    assert.ok(phrases.includes(p), phrases.join(" | "));
  assert.not.ok(
    phrases.some((p) => /^(?:Enforce|Inspect|Supervise|Reconcile)\b/.test(p)),
    phrases.join(" | "),
  );
});

test("set phrases name no requirement, and a soft skill is matched only as written: 'initiatives' are projects", () => {
  const phrases = phrasesOf(
    "Work on the front lines of incident response.",
    "Be a security subject matter expert for product teams.",
    "Drive security initiatives across teams; show initiative and leadership.",
  );
  assert.not.ok(
    phrases.some((p) => /front|subject|matter/i.test(p)),
    phrases.join(" | "),
  );
  assert.ok(phrases.includes("incident response"), phrases.join(" | "));
  assert.ok(phrases.includes("security initiatives"), phrases.join(" | "));
  assert.not.ok(phrases.includes("initiatives"), phrases.join(" | "));
});

test("'front-end' and 'front end' are one phrase; a person noun ('thinker', 'communicator') heads no requirement", () => {
  const phrases = phrasesOf(
    "Deliver a complete front end application.",
    "Own the front-end application's speed.",
    "Analytical thinker: run A/B tests.",
    "Visual communicator: create wireframes.",
  );
  assert.is(phrases.filter((p) => /front[- ]end/i.test(p)).length, 1, phrases.join(" | "));
  assert.not.ok(
    phrases.some((p) => /thinker|communicator/i.test(p)),
    phrases.join(" | "),
  );
  assert.ok(phrases.includes("A/B tests") && phrases.includes("wireframes"), phrases.join(" | "));
});

test("a plural noun said once is a requirement as an item of a list of short items, not alone in prose", () => {
  const listed = phrasesOf("Produce personas, storyboards, scenarios, flowcharts, and design prototypes.");
  assert.ok(listed.includes("scenarios"), listed.join(" | "));
  const three = phrasesOf("Perform content inventories, audits, and gap analyses.");
  assert.ok(three.includes("audits"), three.join(" | "));
  const prose = phrasesOf("Walk through scenarios with the team before a release.");
  assert.not.ok(prose.includes("scenarios"), prose.join(" | "));
  // An unknown word listed among known tools is a tool ("scikit" beside Pandas and Numpy).
  const tools = requirementPhrases({
    description: "Qualifications:\n- Experience with common data science tools (Pandas, Numpy, scikit)",
  }).map((p) => p.display);
  assert.ok(tools.includes("scikit"), tools.join(" | "));
  // An adjective in a list is no item: only plural nouns are taken.
  const adjectives = phrasesOf("Write simple, elegant, fast, tested Javascript and CSS.");
  assert.not.ok(adjectives.includes("elegant"), adjectives.join(" | "));
});

test("'including' introduces the requirement, and '… as code' practices are known", () => {
  const phrases = phrasesOf(
    "Manage system lifecycles, including change and configuration management.",
    "Treat configuration as code and policy as code.",
  );
  assert.ok(phrases.includes("change and configuration management"), phrases.join(" | "));
  assert.ok(phrases.includes("configuration as code") && phrases.includes("policy as code"), phrases.join(" | "));
  // "run books" is the runbooks of the vocabulary, written in two words: "run" is no duty verb there.
  const books = phrasesOf("Write system support documents such as run books.");
  assert.ok(books.includes("run books"), books.join(" | "));
  assert.not.ok(
    phrases.some((p) => p.startsWith("including")),
    phrases.join(" | "),
  );
});

test("'keys' is a noun, not the filler 'key'; 'Pen-test' at a duty's start is the skill", () => {
  const phrases = phrasesOf("Develop systems for managing keys and application secrets.", "Pen-test the website.");
  assert.ok(phrases.includes("managing keys"), phrases.join(" | "));
  assert.ok(phrases.includes("Pen-test"), phrases.join(" | "));
  // The adjective stays filler: "key metrics" is "metrics".
  assert.not.ok(
    phrasesOf("Track key metrics weekly.").some((p) => p.includes("key")),
    "key metrics",
  );
});

test("the words of a role title are the role's, not a requirement, unless a known skill; a team names its field", () => {
  const phrases = requirementPhrases({
    description: [
      "Qualifications:",
      "- 2+ years as a Data Scientist, ML Engineer, or Software Engineer",
      "- Experience pairing with Platform Engineers and Android developers",
      "- Experience with the inventory control team",
    ].join("\n"),
  }).map((p) => p.display);
  assert.not.ok(
    phrases.some((p) => /^(?:Software|Platform)$/.test(p)),
    phrases.join(" | "),
  );
  assert.ok(phrases.includes("ML") && phrases.includes("Android"), phrases.join(" | "));
  assert.ok(phrases.includes("inventory control"), phrases.join(" | "));
});

test("the fields listed after a degree are the degree check's, up to 'or a related discipline'", () => {
  const phrases = requirementPhrases({
    description: [
      "Qualifications:",
      "- Bachelor's degree in a relevant field, such as Computer Science, Data Science, or a related discipline.",
      "- Experience with Python, Kubernetes and Data Science tooling",
    ].join("\n"),
  }).map((p) => p.display);
  assert.not.ok(phrases.includes("Computer Science"), phrases.join(" | "));
  assert.ok(phrases.includes("Python") && phrases.includes("Kubernetes"), phrases.join(" | "));
});

test("a noun-verb ends a phrase as its head ('API-first design', 'external audit'); a verb after a noun still does not", () => {
  const phrases = phrasesOf(
    "Apply architectural patterns such as API-first design and microservices.",
    "Support the annual external audit.",
    "Build products customers love.",
  );
  assert.ok(phrases.includes("API-first design"), phrases.join(" | "));
  assert.ok(phrases.includes("annual external audit"), phrases.join(" | "));
  assert.not.ok(
    phrases.some((p) => p.endsWith("love")),
    phrases.join(" | "),
  );
});

test("a noun-verb starting a list item is a noun ('design prototypes'); at a duty's start or after 'to' it is the verb", () => {
  const listed = phrasesOf(
    "Produce personas, storyboards, scenarios, flowcharts, design prototypes, and design specifications.",
  );
  assert.ok(listed.includes("design prototypes"), listed.join(" | "));
  const duty = phrasesOf("Design user onboarding flows.", "Work with the team to design payment systems.");
  assert.not.ok(
    duty.some((p) => /^design\b/i.test(p)),
    duty.join(" | "),
  );
});

test("duty verbs are cut as written, not by stem: 'automation' is no 'automate'", () => {
  const phrases = phrasesOf("Develop automation tools to eliminate manual tasks.");
  assert.ok(phrases.includes("automation tools"), phrases.join(" | "));
  assert.not.ok(
    phrases.some((p) => p.startsWith("Develop")),
    phrases.join(" | "),
  );
});

test("a gerund after a preposition is the activity asked for; 'A/B' is one word", () => {
  const phrases = phrasesOf("Develop systems for managing secrets.", "Run A/B tests on landing pages.");
  assert.ok(phrases.includes("managing secrets"), phrases.join(" | "));
  assert.ok(phrases.includes("A/B tests"), phrases.join(" | "));
});

test("a one-word tool stays alone beside a longer phrase with it; other known phrases are extended", () => {
  const phrases = phrasesOf(
    "Automate infrastructure through AWS APIs and AWS.",
    "Use web application frameworks every day.",
  );
  assert.ok(phrases.includes("AWS"), phrases.join(" | "));
  assert.ok(phrases.includes("AWS APIs"), phrases.join(" | "));
  assert.ok(phrases.includes("web application frameworks"), phrases.join(" | "));
  assert.not.ok(phrases.includes("web application"), phrases.join(" | "));
});

test("a degree's field, a common word that names a tool, filler: no requirement", () => {
  const phrases = requirementPhrases({
    description:
      "Qualifications:\n- BS in Computer Science\n- Less than 1% of candidates know Kafka\n- Strong Excel skills and some Less for stylesheets",
  }).map((p) => p.display);
  assert.not.ok(phrases.includes("Computer Science"), phrases.join(" | "));
  assert.ok(phrases.includes("Kafka"), phrases.join(" | "));
  // "Less" opens its line (a sentence start): only the capitalised one mid-sentence is the tool.
  assert.is(phrases.filter((p) => p.toLowerCase() === "less").length, 1, phrases.join(" | "));
});

test("soft skills come after every other requirement", () => {
  const phrases = requirementPhrases({
    description: "Qualifications:\n- Communication and leadership\n- Experience with Terraform and Kubernetes",
  });
  const firstSoft = phrases.findIndex((p) => p.group === "soft");
  assert.ok(firstSoft > 0, JSON.stringify(phrases));
  assert.ok(
    phrases.slice(firstSoft).every((p) => p.group === "soft"),
    JSON.stringify(phrases),
  );
});

test("a duty starts with its verb, whatever the trade; a noun there stays ('Documentation of …')", () => {
  const phrases = phrasesOf(
    "Administer local anesthesia as permitted under state rules",
    "Calculate and process overtime pay for hourly staff",
    "Documentation management for the claims team",
  );
  assert.ok(phrases.includes("local anesthesia"), phrases.join(" | "));
  assert.ok(phrases.includes("overtime pay"), phrases.join(" | "));
  assert.not.ok(
    phrases.some((p) => /^(?:Administer|Calculate)\b|\bprocess\b/.test(p)),
    phrases.join(" | "),
  );
  assert.ok(phrases.includes("Documentation management"), phrases.join(" | "));
});

test("a gerund after the word that modifies it names a practice; after a plural it is a verb", () => {
  const phrases = phrasesOf(
    "Perform thorough periodontal charting at each visit",
    "Provide periodontal maintenance and scaling and root planing",
    "Solve problems relating to delivery",
  );
  assert.ok(phrases.includes("periodontal charting"), phrases.join(" | "));
  assert.ok(phrases.includes("scaling and root planing"), phrases.join(" | "));
  assert.not.ok(phrases.includes("problems relating"), phrases.join(" | "));
});

test("counts written as words and a lone lower-case letter are no requirement; a number after a name is part of it", () => {
  const phrases = requirementPhrases({
    description:
      "Requirements:\n- Payroll for employees across nine states\n- Benefit deductions including 401(k) contributions\n" +
      "- Filings including Form 941, ISO 9001 audits and AutoCAD Civil 3D\n- Excel skills including VLOOKUP",
  }).map((p) => p.display);
  assert.not.ok(
    phrases.some((p) => /\bnine\b/.test(p) || p === "k"),
    phrases.join(" | "),
  );
  assert.ok(phrases.includes("Form 941"), phrases.join(" | "));
  assert.ok(phrases.includes("ISO 9001 audits"), phrases.join(" | "));
  assert.ok(phrases.includes("AutoCAD Civil 3D"), phrases.join(" | "));
  assert.ok(phrases.includes("VLOOKUP"), phrases.join(" | "));
});

test("a longer phrase that extends two kept ones is one requirement", () => {
  const phrases = requirementPhrases({
    description: "Requirements:\n- HSA, FSA\n- Maintain benefit deductions, including HSA and FSA elections",
  }).map((p) => p.display);
  assert.ok(phrases.includes("HSA and FSA elections"), phrases.join(" | "));
  assert.not.ok(phrases.includes("FSA elections"), phrases.join(" | "));
  assert.not.ok(phrases.includes("HSA"), phrases.join(" | "));
});

test("headings as postings write them: long Markdown ones, 'Job Description', 'Key Objectives', 'What we look for'", () => {
  const phrases = requirementPhrases({
    description:
      "We are a startup that sells beautiful gift cards.\n\n### Who you are and what you will own:\n- Own the conversion funnel\n" +
      "### Key Objectives\n- Run usability sessions\n### What we look for\n- Strong stakeholder interviews",
  }).map((p) => p.display);
  assert.ok(phrases.includes("conversion funnel"), phrases.join(" | "));
  assert.ok(phrases.includes("usability sessions"), phrases.join(" | "));
  assert.ok(phrases.includes("stakeholder interviews"), phrases.join(" | "));
  assert.not.ok(phrases.includes("gift cards"), phrases.join(" | "));
});

test("a posting without headings is all prose: a cue in one sentence does not make the rest company prose", () => {
  const phrases = requirementPhrases({
    description:
      "You will write site copy and microcopy for federal agencies. You will run content inventories. Experience with Markdown helps.",
  }).map((p) => p.display);
  assert.ok(phrases.includes("site copy"), phrases.join(" | "));
  assert.ok(phrases.includes("content inventories"), phrases.join(" | "));
  assert.ok(phrases.includes("Markdown"), phrases.join(" | "));
});

test("a file path is no list of alternatives; names joined by slashes are", () => {
  const phrases = requirementPhrases({
    description:
      "source: the31337/jobs/mixmax/backend-engineer.md\nYou will build services with strong HTML/CSS/JavaScript skills.",
  }).map((p) => p.display);
  assert.not.ok(
    phrases.some((p) => /jobs|mixmax|\.md/.test(p)),
    phrases.join(" | "),
  );
  assert.ok(phrases.includes("HTML") && phrases.includes("JavaScript"), phrases.join(" | "));
});

test("a lone common word needs the posting to come back to it twice; a name mid-sentence once", () => {
  const twice = phrasesOf(
    "Keep your license current",
    "Show your license on request",
    "Chart in Epic daily",
    "Train staff on Epic",
  );
  assert.not.ok(twice.includes("license"), twice.join(" | "));
  assert.ok(twice.includes("Epic"), twice.join(" | "));
  const thrice = phrasesOf("Keep your license current", "Show your license on request", "Renew the license yearly");
  assert.ok(thrice.includes("license"), thrice.join(" | "));
});

test("what the employer offers names no requirement, under a heading with or without a mark", () => {
  for (const heading of ["Benefits:", "### Perks & benefits", "What we offer", "Perks of joining the crew"]) {
    const phrases = requirementPhrases({
      description: `Requirements:\n- Experience with payroll tax filings\n\n${heading}\n- Professional development support, including payroll certification reimbursement\n- Commuter rail passes`,
    }).map((p) => p.display);
    assert.ok(phrases.includes("payroll tax filings"), `${heading}: ${phrases.join(" | ")}`);
    assert.not.ok(
      phrases.some((p) => /reimbursement|rail passes/.test(p)),
      `${heading}: ${phrases.join(" | ")}`,
    );
  }
});

test("a bare line heads a section only if it reads as a heading; 'The role' is prose about the job", () => {
  const phrases = requirementPhrases({
    description:
      "The role\nYou will join the Dayton plant leadership team.\n\nResponsibilities:\n- Run benefits enrollment\nStrong written communication",
  }).map((p) => p.display);
  assert.not.ok(
    phrases.some((p) => /Dayton|plant/.test(p)),
    phrases.join(" | "),
  );
  assert.ok(phrases.includes("benefits enrollment"), phrases.join(" | "));
});

test("an acronym in brackets that spells the words before it is the same requirement; a Title Case name keeps its participle", () => {
  const phrases = requirementPhrases({
    description:
      "Requirements:\n- Prototypes of user interfaces (UIs) for web pages\n- Certified Payroll Professional (CPP) preferred\n" +
      "- Migration to Infrastructure as a Service (IaaS)\n- Continuous delivery (Jenkins)",
  }).map((p) => p.display);
  assert.ok(phrases.includes("user interfaces"), phrases.join(" | "));
  assert.ok(phrases.includes("Certified Payroll Professional"), phrases.join(" | "));
  assert.ok(phrases.includes("Jenkins"), phrases.join(" | "));
  assert.not.ok(
    phrases.some((p) => /^(?:UIs|CPP|IaaS)$/.test(p)),
    phrases.join(" | "),
  );
});

test("text wrapped at a fixed width is read as its paragraphs; a list that lost its bullets stays a list", () => {
  const wrapped = requirementPhrases({
    description:
      "Primarily responsible for:\n\n-   Conduct stakeholder interviews, user requirements analysis, task\nanalysis, conceptual modeling\n\n" +
      "-   Develop prototypes of easy-to-navigate user\ninterfaces (UIs) for the\nWeb Accessibility Initiative",
  }).map((p) => p.display);
  assert.ok(wrapped.includes("task analysis"), wrapped.join(" | "));
  assert.ok(wrapped.includes("user interfaces"), wrapped.join(" | "));
  assert.not.ok(wrapped.includes("UIs"), wrapped.join(" | "));
  const unbulleted = requirementPhrases({
    description: "Requirements:\nKubernetes operations\nTerraform modules\nIncident response",
  }).map((p) => p.display);
  assert.ok(
    unbulleted.includes("Kubernetes operations") && unbulleted.includes("Terraform modules"),
    unbulleted.join(" | "),
  );
});

test("the company's prose counts half: what it names ranks after the duties", () => {
  const phrases = requirementPhrases({
    description:
      "We build mobile apps for millions of renters. Our platform runs on Kafka, and Kafka Streams powers search.\n\n" +
      "Responsibilities:\n- Write migration scripts",
  }).map((p) => p.display);
  const duty = phrases.indexOf("migration scripts");
  assert.ok(duty >= 0, phrases.join(" | "));
  const prose = phrases.findIndex((p) => /mobile app/i.test(p));
  assert.ok(prose === -1 || prose > duty, phrases.join(" | "));
  assert.ok(phrases.includes("Kafka"), phrases.join(" | "));
});

test("a product's name the vocabulary does not know is grouped with the hard skills and tools", () => {
  const phrases = requirementPhrases({
    description: "Requirements:\n- Experience with Gainsight or ChurnZero\n- Strong renewal forecasting",
  });
  const group = (display: string) => phrases.find((p) => p.display === display)?.group;
  assert.is(group("Gainsight"), "hard", JSON.stringify(phrases));
  assert.is(group("ChurnZero"), "hard", JSON.stringify(phrases));
  assert.is(group("renewal forecasting"), "other", JSON.stringify(phrases));
});

test.run();
