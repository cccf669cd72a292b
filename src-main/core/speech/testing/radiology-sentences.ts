/**
 * Dictated radiology and dental captions, the reference texts of the voice-caption word error
 * rate (spoken by espeak-ng in tests and in `npm run bench:voice`). Versioned with the
 * vocabulary: a change here changes the reported figures.
 */
export const RADIOLOGY_SENTENCES: readonly string[] = [
  'There is a periapical radiolucency at the root of the lower left first molar.',
  'The mandibular canal runs close to the roots of the third molar.',
  'No caries is seen on the occlusal surface of the upper right premolar.',
  'The panoramic view shows bone loss around the lower incisors.',
  'A cyst is present in the left maxillary sinus.',
  'The root canal filling of the upper left canine looks complete.',
  'There is horizontal bone loss in the posterior mandible.',
  'The impacted wisdom tooth is close to the inferior alveolar nerve.',
  'The FLAIR images show a bright lesion in the right frontal lobe.',
  'After gadolinium the tumour enhances at its rim.',
  'There is mild edema around the lesion.',
  'The lesion measures two centimetres on the axial slice.',
  'No midline shift and no hydrocephalus.',
  'The ventricles are normal in size.',
  'Follow up imaging is advised in three months.',
  'The crown on the lower right molar has an open margin.',
  'The implant in the upper jaw is well integrated with the bone.',
  'There is a fracture line in the mandibular body.',
  'The radiolucent area at the apex suggests a periapical abscess.',
  'Diffusion weighted images show no acute infarct.',
];

/**
 * Held out: written before the vocabulary's fuzzy matching was tuned on the sentences above, so
 * the correction's gain is also measured on speech it was not fitted to.
 */
export const HELD_OUT_SENTENCES: readonly string[] = [
  'The periapical lesion of the upper central incisor has grown since the last visit.',
  'A radiolucency is seen below the mandibular second premolar.',
  'The maxillary sinus floor is thin above the first molar.',
  'Gadolinium enhancement is seen in the left temporal lobe.',
  'The FLAIR signal is high around the resection cavity.',
  'There is a dental abscess at the apex of the lower canine.',
  'The occlusal caries reaches the dentin of the second molar.',
  'The alveolar bone around the implant is stable.',
  'Mild edema surrounds the enhancing tumour.',
  'The cone beam scan shows the inferior alveolar canal clearly.',
];
