// LearnerND's learner laws, part 2 of 3 (the subjects and skips: learnernd-laws.ts).
import { describeLearnerNDLaws } from './learnernd-laws.js';

describeLearnerNDLaws(1, 3);
