/**
 * The general English of job ads that is not a requirement: filler and
 * praise ("easy", "exciting", "strong"), role nouns (the title check reads
 * those), the verbs bullets start with ("Design, write and deliver"), and
 * words that name something only with a word beside them ("platform",
 * "systems"). Written as general knowledge of how postings are worded, not
 * from any one posting. Compared as Porter stems.
 */
const words = (text: string): readonly string[] => text.split(/\s+/).filter((w) => w !== "");

/** Never part of a keyword: filler, praise, quantities, time, people in general, the ad's own apparatus. */
export const FILLER_WORDS: readonly string[] = /* @__PURE__ */ words(`
  ability abilities able excellent outstanding accomplish achieve actual actually additional advantage affect alike alongside amazing ample
  appealing applicant applicants apply approach approaches awesome award awarded beautiful belly best big bigger
  billion blissful bonus brilliance brilliant broad candidate candidates capable capacity care career careers case
  chance clear clearly closely colleague colleagues come comfortable commitment company companies competitive
  completely concern concerns consider constant continuously cool critical culture current currently daily daunting
  day days decade deep delight delightful demonstrable demonstrated desire desired detail detailed different difficult
  directly diverse dream driven dynamic eager early easily easy effective effectively efficiently elegant emerging
  employee employees employer enjoy enjoyable enough ensure entire environment equal equivalent especially essence
  etc even ever every exceptional exceptionally excited exciting exist existing expect expected expectations expert
  experts extensive extremely fantastic fast feel fellow fine fire first flagship focus focused four free friendly
  fully fun future generous genuinely get give glad goal goals good great greatly grow growing happy hard headfirst
  hear heavily help helpful high higher highest highly hire hiring hope huge human ideal ideally imagine immediate
  important impossible incredibly increasingly individual industry-leading innovative inspire interest interested
  interesting involved join joining just key kind known large largely last latest leading least level levels life
  like likely little lives long look looking lot lots love loved lucky main major many matter matters maximum meaningful
  meet member members million millions mindset minimum mission modern month months more most motivated much multiple
  must near nearly need needed needs new next nice number numerous offer offered often ok old one ongoing only open
  opportunities opportunity overall own part particular passion passionate past people perfect person personal
  personally plan plenty plus position positions possible potential preferably prefer preferred previous previously
  primarily prior pro proud proven quick quickly rapid rapidly rare ready real really recent regular related relevant
  remarkable required requirement requirements requisite responsibilities responsibility responsible rest rich right
  rockstar role roles rough salary same scarce second seek seeking seeks self serious several significant significantly
  similar simple simplest single six small smart smoothly solid someone something sometimes soon special specific
  spend start starting startup startups step strive strong stuff substantial success successful super superb sure
  talent talented tasks ten things thorough thousands three thrive time times today tomorrow top total totally tough
  tremendous true truly two typical ultimately unique upcoming us various vast very want wants way ways week weekly
  well whole wide willing willingness wish wonderful world worldwide year years yes young
  experience experienced experiences expertise familiar familiarity knowledge proficiency proficient skill skilled
  skills understanding background exposure track record hands-on
  bachelor bachelors master masters degree degrees bs ba ms ma msc bsc phd mba diploma
  e.g i.e etc including am pm remote onsite hybrid full-time part-time
  complex complicated seamless seamlessly superior respectful inspirational inspiring influential
  timely reliable maintainable robust clean impactful compelling thoughtful challenging rewarding fast-paced
  mission-critical world-class cutting-edge state-of-the-art next-gen next-generation best-in-class high-quality
  top-notch
`);

/** Role nouns and seniority: the job title check compares them, keywords leave them out. */
export const ROLE_WORDS: readonly string[] = /* @__PURE__ */ words(`
  engineer engineers developer developers programmer programmers manager managers designer designers architect
  architects scientist scientists analyst analysts researcher researchers tester testers specialist specialists
  consultant consultants administrator administrators director directors lead leads head intern interns associate
  associates officer officers coordinator coordinators representative representatives technician technicians
  writer writers editor editors strategist strategists executive executives execs vp cto ceo cfo founder founders
  senior junior principal staff sr jr mid ii iii iv chief team teams member person someone individual contributor
  contributors hacker hackers ninja guru expert experts thinker thinkers communicator communicators learner learners
  doer doers self-starter self-starters
`);

/**
 * Verbs that start a duty or a sentence ("Build …", "Work with …"): at the
 * start of a phrase they are the duty, not the skill, and they are dropped.
 * Inside a phrase they may be nouns ("interaction design"), and alone as a
 * gerund some are activities ("monitoring", "editing"): see ACTIVITY_GERUNDS.
 * Left out on purpose: verbs that are often nouns at a phrase's start ("load
 * calculations", "process improvement", "budget", "schedule"), and verbs whose
 * object is often a one-word requirement ("Administer medications", "calculate
 * depreciation"): cut, the lone noun would be dropped with it.
 */
export const ACTION_VERBS: readonly string[] = /* @__PURE__ */ words(`
  accelerate accept acquire act adapt add address adhere adopt advance advocate align allow analyse analyze answer
  apply approach architect argue arrange assess assist attack attend audit automate balance become believe benefit
  blend bridge bring build buy call care carry champion change check choose clarify clean collaborate collect combine
  come communicate compare complete compose conduct configure connect consider consult contribute convert coordinate
  cover crack craft create cross-functionally cultivate decide decompose define delight deliver demonstrate deploy
  design determine develop devise direct discover display dive do document drive earn educate eliminate embrace
  empathize empower enable encourage engage enhance enjoy ensure enter establish evaluate evangelize evolve exceed
  execute expand experiment explain explore extend facilitate find fix flesh focus follow foster gain gather generate
  get give go grok grow guide handle have help hold identify imagine implement improve include increase influence
  inform innovate inspire integrate interact invest investigate iterate join keep lay lead learn leave leverage liaise
  listen live love maintain make manage master maximize measure meet mentor minimize model modernize monitor motivate
  move navigate negotiate obtain offer operate optimize organize own oversee participate partner perform pilot plan
  play prepare present prevent prioritize produce promote propose protect prototype provide publish pursue push put
  raise reach receive recommend reduce refactor refine release remove replace report represent research resolve
  respond review run scale secure see seek sell serve set shape share ship show simplify solve span specify spend stay
  streamline strengthen strive study succeed support sustain synthesize take talk teach tell test think thrive track
  train transform translate treat troubleshoot turn uncover understand unleash uphold upgrade use utilize validate
  verify walk want whiteboard win work write
  accomplish achieve advise allocate approve assemble assign attain authorize calibrate compile
  comply compute counsel delegate diagnose edit enforce escalate examine greet hire inspect install observe onboard
  procure proofread recruit reconcile repair select submit supervise update visit
`);

/** Gerunds that name an activity a posting may ask for on its own ("monitoring", "logging", "prototyping"). */
export const ACTIVITY_GERUNDS: readonly string[] = /* @__PURE__ */ words(`
  accounting advertising auditing benchmarking blogging budgeting caching coaching coding consulting copywriting
  debugging editing engineering forecasting hiring illustrating interviewing logging machining marketing mentoring
  modeling modelling monitoring networking onboarding packaging patching planning profiling programming proofreading
  prototyping publishing recruiting reporting scripting sourcing staffing testing tracing training troubleshooting
  tutoring wireframing writing
`);

/**
 * Words that say what a thing is only with another word ("distributed
 * infrastructure", "mobile web"): kept inside a phrase, never a keyword alone.
 */
export const WEAK_WORDS: readonly string[] = /* @__PURE__ */ words(`
  ability access account action activities activity adoption agency agencies agreement agreements app apps application
  applications area areas art artifact artifacts aspect aspects base basis benefit benefits business businesses
  capability capabilities class classes client clients code collaborator community component components concept
  concepts condition conditions content context contract contracts cost costs customer customers data decision
  decisions demand development direction effort efforts element elements end engagement environment environments
  event events example examples experience feature features feedback field fields finding findings focus form forms
  function functions functionality goal group groups guidance idea ideas impact implementation improvement
  improvements information infrastructure initiative initiatives input insight insights interest internal external
  issue issues item items layer layers level lifecycle lifecycles line lines manner market method methods need needs
  network note number object objective objectives operation operations option options order organization
  organizations outcome outcomes output owner part partner partners path pattern patterns performance phase phases
  piece pieces place platform platforms point practice practices principle principles priority problem problems
  procedure procedures process processes product products program programs progress project projects purpose quality
  question range rate reason record relationship relationships request requests research resource resources response
  result results risk scale scope sense service services set side site solution solutions source space spectrum stack
  stage standard standards state status step strategy structure stuff subject subsystem subsystems success support
  surface system systems target task team technique techniques technologies technology term terms thing things tool
  tools topic topics type types usage use user users value variety version view volume way work workflow workload
  works
`);

/**
 * Nouns naming a quality of software or of a service ("availability",
 * "latency", "scalability"): what the work improves, a requirement only in a
 * phrase that names the practice ("high availability", "performance tuning").
 */
export const QUALITY_NOUNS: readonly string[] = /* @__PURE__ */ words(`
  availability scalability reliability latency throughput uptime performance efficiency maintainability
  stability durability robustness extensibility interoperability portability responsiveness
`);

/**
 * Nouns that, as the head of a phrase, name a circumstance, an aim, an
 * audience or a place in the organisation, not a skill, tool or domain one
 * can have: "security challenges", "internal visibility", "front lines",
 * "revenue impact", "core values", "technical audiences". A phrase ending in
 * one says what the work is about; the vocabulary still names its skills.
 */
export const VAGUE_HEADS: readonly string[] = /* @__PURE__ */ words(`
  challenge challenges concern concerns habit habits guarantee guarantees visibility ecosystem burden
  recurrence condition conditions idea ideas value values behavior behaviors behaviour behaviours feeling feelings
  appeal appeals audience audiences direction impact opportunity opportunities space spaces
  expectation expectations vision culture mindset mission priorities commitment commitments spirit passion
  excellence wellbeing well-being sense heart journey landscape world universe
`);

/** Headings under which each line is a requirement. */
export const REQUIREMENT_HEADING =
  /\b(?:requirements?|qualifications?|skills?|must[- ]haves?|nice[- ]to[- ]haves?|bonus|preferred|plus(?:es)?|about you|you have|you bring|what you(?:'|’)?ll need|what we(?:'|’)?re looking for|look(?:ing)? for|(?:good|great|strong) fit|who you are|tech(?:nology|nical)? stack|technologies|tools|competenc(?:e|ies))\b/i;

/** Headings of what the employer offers: pay, benefits, perks, why join. */
export const OFFER_HEADING =
  /\b(?:benefits|perks|what we offer|we offer|our offer|compensation|salary|pay range|what(?:'|’)?s in it for you)\b/i;

/** Headings under which each line is a duty. */
export const DUTY_HEADING =
  /\b(?:responsibilit(?:y|ies)|responsible for|duties|what you(?:'|’)?ll do|the role|your role|in this role|day[- ]to[- ]day|you will|objectives?|job description|work(?:ing)? on)\b/i;

/**
 * Tools named by a common English word ("less than 1%", "a chef", "express
 * interest"): the vocabulary takes them only where the posting writes them
 * capitalised and not at the start of a sentence, or in a list of names.
 */
export const COMMON_WORD_TOOLS: readonly string[] = /* @__PURE__ */ words(`
  go less express spring chef puppet vault consul lean segment excel notion slack unity bootstrap electron meteor
  phoenix swift rust dart julia ruby assembly apache helm packer jasmine karma mocha cucumber espresso play druid hive
  spark flink presto looker mural framer sketch premiere illustrator sentry honeycomb amplitude envoy nomad deno koa
  flask django ember backbone dagger retrofit vagrant bamboo git
`);

/**
 * Words after which a sentence names what it asks for. Not "with" or
 * "like": "work with the team", "customers like Airbnb" name no skill.: "experience with
 * Kafka", "knowledge of SQL", "tools such as Chef, Puppet or Ansible".
 */
export const REQUIREMENT_CUE =
  /\b(?:experience (?:with|in|using|of|building|working with)|experienced (?:with|in)|proficien(?:t|cy) (?:in|with)|knowledge of|familiar(?:ity)? with|expertise (?:in|with)|expert (?:in|with)|understanding of|background in|skilled (?:in|at|with)|fluen(?:t|cy) in|command of|hands-on|such as|e\.g\.?|i\.e\.?|including|using)\b/i;
