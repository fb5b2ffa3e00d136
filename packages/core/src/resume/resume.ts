/**
 * The parts of a JSON Resume (https://jsonresume.org/schema) cvpipe reads.
 * The schema allows extra properties everywhere; they pass through untouched.
 */
export interface ResumeLocation {
  address?: string;
  postalCode?: string;
  city?: string;
  countryCode?: string;
  region?: string;
  [extra: string]: unknown;
}

export interface ResumeProfile {
  network?: string;
  username?: string;
  url?: string;
  [extra: string]: unknown;
}

export interface ResumeBasics {
  name?: string;
  label?: string;
  image?: string;
  email?: string;
  phone?: string;
  url?: string;
  summary?: string;
  location?: ResumeLocation;
  profiles?: ResumeProfile[];
  [extra: string]: unknown;
}

export interface ResumeWork {
  name?: string;
  location?: string;
  description?: string;
  position?: string;
  url?: string;
  startDate?: string;
  endDate?: string;
  summary?: string;
  highlights?: string[];
  [extra: string]: unknown;
}

export interface ResumeEducation {
  institution?: string;
  url?: string;
  area?: string;
  studyType?: string;
  startDate?: string;
  endDate?: string;
  score?: string;
  courses?: string[];
  [extra: string]: unknown;
}

export interface ResumeSkill {
  name?: string;
  level?: string;
  keywords?: string[];
  [extra: string]: unknown;
}

export interface ResumeProject {
  name?: string;
  description?: string;
  highlights?: string[];
  keywords?: string[];
  startDate?: string;
  endDate?: string;
  url?: string;
  roles?: string[];
  entity?: string;
  type?: string;
  [extra: string]: unknown;
}

export interface Resume {
  $schema?: string;
  basics?: ResumeBasics;
  work?: ResumeWork[];
  volunteer?: Array<Record<string, unknown>>;
  education?: ResumeEducation[];
  awards?: Array<Record<string, unknown>>;
  certificates?: Array<Record<string, unknown>>;
  publications?: Array<Record<string, unknown>>;
  skills?: ResumeSkill[];
  languages?: Array<Record<string, unknown>>;
  interests?: Array<Record<string, unknown>>;
  references?: Array<Record<string, unknown>>;
  projects?: ResumeProject[];
  meta?: Record<string, unknown>;
  [extra: string]: unknown;
}
