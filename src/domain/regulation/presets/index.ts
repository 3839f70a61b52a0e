import { type Regulation, regulationSchema } from '../schema.js';
import { akhty2021 } from './akhty-2021.js';
import { kanash2020 } from './kanash-2020.js';

/** The shipped regulation presets, validated through the schema (defaults applied). */
export const PRESETS: Readonly<Record<string, Regulation>> = Object.freeze({
  'kanash-2020': regulationSchema.parse(kanash2020),
  'akhty-2021': regulationSchema.parse(akhty2021),
});
