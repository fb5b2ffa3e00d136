/**
 * Vocabulary the keyword extractor needs: multi-word and punctuated skills
 * (which a plain tokenizer would split or mangle) and the words that carry no
 * signal in a CV or a job ad.
 */

/** Canonical skill → spellings that mean the same thing. The canonical form is also a spelling. */
export const SKILL_ALIASES: Readonly<Record<string, readonly string[]>> = {
  "Node.js": ["nodejs", "node js", "node"],
  React: ["react.js", "reactjs", "react js"],
  "Angular.js": ["angular", "angularjs", "angular js"],
  "Vue.js": ["vue", "vuejs"],
  "Next.js": ["nextjs"],
  "Express.js": ["expressjs"],
  "Backbone.js": ["backbone", "backbonejs"],
  "Ember.js": ["ember", "emberjs"],
  "D3.js": ["d3"],
  JavaScript: ["js", "es6", "es2015", "ecmascript"],
  TypeScript: [],
  "CI/CD": ["ci / cd", "cicd", "ci-cd", "continuous integration", "continuous delivery", "continuous deployment"],
  "machine learning": ["ml"],
  "deep learning": [],
  "artificial intelligence": ["ai"],
  "natural language processing": ["nlp"],
  "computer vision": [],
  "data science": [],
  "data engineering": [],
  "data analysis": ["data analytics"],
  "data pipelines": ["data pipeline", "data processing pipelines", "data processing pipeline"],
  "big data": [],
  "A/B testing": ["a/b test", "a/b tests", "a / b testing", "ab testing", "split testing"],
  "unit testing": ["unit test", "unit tests"],
  "test automation": ["automated testing", "automated tests", "test automation"],
  "end-to-end testing": ["end to end testing", "e2e testing", "e2e tests", "end-to-end tests"],
  "test-driven development": ["test driven development", "tdd"],
  "AWS Lambda": ["lambda"],
  AWS: ["amazon web services"],
  "Google Cloud": ["gcp", "google cloud platform"],
  Azure: ["microsoft azure"],
  Kubernetes: ["k8s"],
  PostgreSQL: ["postgres"],
  MongoDB: ["mongo"],
  MySQL: [],
  Redis: [],
  Elasticsearch: ["elastic search"],
  GraphQL: [],
  "REST APIs": ["restful", "rest api", "rest apis", "restful api", "restful apis"],
  microservices: ["microservice", "micro-services", "micro services"],
  "distributed systems": ["distributed system", "distributed infrastructure"],
  "open source": ["open-source"],
  "Ruby on Rails": ["rails", "ror"],
  "C++": ["cpp"],
  "C#": ["csharp"],
  ".NET": ["dotnet", "asp.net"],
  "Objective-C": ["objective c", "objc"],
  Golang: [],
  "user research": ["user interviews", "usability testing"],
  UX: ["user experience", "ux design"],
  UI: ["user interface", "ui design"],
  "product management": ["product manager", "product managers"],
  "project management": ["project manager"],
  "site reliability engineering": ["sre", "site reliability", "site reliability engineer"],
  "infrastructure as code": ["iac"],
  "configuration management": ["config management"],
  DevOps: ["dev ops"],
  DevSecOps: [],
  "content strategy": [],
  "content design": ["content designer"],
  "interaction design": ["interaction designer"],
  "design systems": ["design system"],
  "front-end": ["frontend", "front end"],
  "back-end": ["backend", "back end"],
  "full-stack": ["fullstack", "full stack"],
  iOS: [],
  Android: [],
  Kotlin: [],
  "Jetpack Compose": [],
  HTML: ["html5"],
  CSS: ["css3"],
  Sass: ["scss"],
  SQL: [],
  NoSQL: [],
  Linux: [],
  Docker: [],
  Terraform: [],
  Ansible: [],
  Jenkins: [],
  "GitHub Actions": [],
  Prometheus: [],
  Grafana: [],
  Datadog: [],
  observability: [],
  "incident response": ["incident management"],
  "on-call": ["on call", "oncall"],
  "cloud computing": ["cloud infrastructure"],
  "information security": ["infosec", "cybersecurity", "cyber security"],
  "penetration testing": ["pen testing", "pentesting", "pen-testing", "pen test", "pen-test", "pentest"],
  "threat modeling": ["threat modelling"],
  "identity and access management": ["iam"],
  "search engine optimization": ["seo"],
  "conversion rate optimization": ["cro"],
  "key performance indicators": ["kpi", "kpis"],
  "software development lifecycle": ["sdlc", "software development life cycle"],
  "quality assurance": ["qa"],
  "large language models": ["llm", "llms", "large language model"],
  HL7: ["hl7v2"],
  FHIR: [],
  "electronic health records": ["ehr", "emr", "electronic medical records"],
};

/**
 * A set of whitespace-separated words. Calls are marked pure: a bundle that
 * never uses the vocabulary (a function without the tailoring engine) drops it.
 */
const wordSet = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/));

/** Function words and filler (English). */
export const STOP_WORDS: ReadonlySet<string> = /* @__PURE__ */ wordSet(
  `a about above across after again against all almost along also although always am among an and another any anyone
  anything are around as at away back be became because become becomes been before behind being below best better
  between beyond both but by can cannot could did do does doing done down during each either else enough etc even ever
  every few for from further get gets getting given go goes going got had has have having he her here hers herself him
  himself his how however i if in into is it its itself just keep least less let like likely made make makes making
  many may me might more most much must my myself near need needs neither never new next no nor not now of off often
  on once one only onto or other others our ours ourselves out over own per perhaps please put quite rather re really
  same see seem seems several shall she should since so some something such than that the their theirs them themselves
  then there these they thing things this those though through throughout thus to together too toward towards under
  until up upon us use used uses using very via was way ways we well were what whatever when where whether which while
  who whom whose why will with within without would yet you your yours yourself yourselves s t don ll ve d m o y ie
  eg e g i.e e.g vs`,
);

/**
 * Words every job ad and CV is full of. They match everywhere, so they say
 * nothing about fit; they are dropped from keywords (not from BM25 text).
 */
export const GENERIC_WORDS: ReadonlySet<string> = /* @__PURE__ */ wordSet(
  `ability able abilities accomplish achieve across act action active actively add additional advantage all apply
  applicant applicants approach area areas ask bachelor based basic benefits bonus broad build builds building built
  candidate candidates care career challenge challenges challenging chance clear closely colleague colleagues come
  comfortable company companies competitive complex concept concepts consider contribute contribution core create
  creating critical culture current currently daily day days deep deliver delivering demonstrate demonstrated desire
  desired detail develop developing diverse do drive driven dynamic eager effective effectively employee employees
  employer encourage encouraged ensure environment equal equivalent excellent exceptional excited exciting expect
  expected experience experienced experiences expert expertise explore extensive familiar familiarity fast field find
  first focus focused following four full fun future good great grow growing growth guide hands happy hard help helping
  high highly hire hiring ideal ideally identify impact important improve improving include includes including
  individual industry interest interested job jobs join joining key kind knowledge large last lead learn learning level
  life like line little live long look looking love lot lots major manage meaningful meet member members mindset mission
  model motivated multiple must new nice offer offers office open opportunities opportunity organization organizations
  part passion passionate people perform person personal place plan plus position positions possible practical prefer
  preferred prior problem problems process processes professional proficiency proficient provide proven quality quickly
  range rapidly ready real related relevant required requirement requirements responsibilities responsibility
  responsible result results right role roles run salary second self senior set seeking share similar skill skilled
  skills small solid solve someone something start startup strong stuff success successful support take talented task
  tasks team teams junior staff principal sr jr ii iii three time today together tool tools top track two type understand understanding unique value values
  variety want wide willing willingness wish work worked working works world would year years yes`,
);
