// LearnerND's learner laws, part 3 of 3 (the subjects and skips: learnernd-laws.ts).
import { describeLearnerNDLaws } from './learnernd-laws.js';

describeLearnerNDLaws(2, 3);
