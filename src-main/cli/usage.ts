/** The whole help text: short enough to read at once, so every command is on one screen. */
export const USAGE = `Usage: neurosphere <command> [options]

Commands:
  import <paths...> [--patient ID] [--json]
      Import DICOM, PNG and JPEG files and folders (waits for the import job;
      Ctrl-C cancels it). --patient attaches the images to a patient (id or MRN).
  import --dental --name N [--patient ID] [--upper U.stl] [--lower L.stl] [--cbct PATH] [--json]
      Create a dental case: upper and lower jaw STL (checked) and a CBCT (NIfTI
      file or DICOM folder, imported as a job that this waits for).
  dental caption --case ID --voice FILE.webm [--modality case|upper|lower|cbct] [--json]
      Add a voice caption (a WebM/Opus recording) to a dental case, transcribe it
      offline (Ctrl-C cancels) and print the transcript, raw and corrected.
  analyze <paths...> [--scan ID] [--model M] [--classifier C|none] [--force] [--out D] [--report D] [--json]
      Import what is not imported yet, then find, measure and classify tumours in
      each scan, one job at a time (Ctrl-C cancels). --scan ID (repeatable) analyses
      an imported scan. M: segmentation model (default: the one its manifest marks default); C: tumour-type
      model (likewise), none to skip it. --out D writes for each
      input <name>_mask.png (2D) or <name>_mask.nii.gz (volumes, the input's geometry)
      with values 0 and 1 (not 0/255), and the classified slice's <name>_heatmap.png
      and <name>_overlay.png; <name>: the input file's name, or a series' folder.
      PNG/JPEG pictures of one size in one folder are taken as slices of one series:
      their intensities are normalised together, as the model was trained.
      Chest radiographs (DICOM CR/DX, or PNG/JPEG the image check recognises) are
      read by the chest X-ray model instead: normal or pneumonia with its calibrated
      probability, and with --out <name>_heatmap.png and <name>_overlay.png.
      An input no installed model reads (e.g. a CT, or a radiograph of the hand)
      is reported "not applicable" and not analysed; --force analyses it anyway,
      with a warning on the result. --report D writes each analysed scan's report
      as <name>_report.pdf (its newest version, else a new draft).
      Exit 1 if any input failed or was rejected.
  report <scan-id> [--out FILE|DIR] [--dicom D] [--json]
      Write the scan's report as PDF: its newest version (drafts marked DRAFT), else
      a new draft from its latest analysis. Sign reports in the app. Without --out,
      or with a folder, the file is named after the patient and the version.
      --dicom D also writes the results for a PACS into folder D, as export-dicom
      does, with this report as an Encapsulated PDF (report.dcm).
  scans list [--status S] [--search T] [--page N] [--limit N] [--json]
      List scans, newest first. S: imported, queued, processing, completed, failed.
  scans show <id> [--json]
      One scan with its study, series, instances and files.
  export-dicom <scan-id> --out D [--report-pdf F] [--json]
      Write the scan's latest analysis as DICOM for a PACS into folder D: the mask
      as a Segmentation (segmentation.dcm) in the scan's study, one Secondary
      Capture per slice with a lesion (overlay-NNNN.dcm, outline burned in) and,
      with --report-pdf, the PDF F as an Encapsulated PDF (report.dcm).
  visualize <scan-id> --out FILE [--quality low|medium|high] [--color-scheme standard|colorblind]
            [--no-highlight] [--json]
      Write the scan's 3D tumour scene as one self-contained interactive HTML file
      (tumour surfaces with volume and diameter, the head surface; no network
      needed to open it). The tumour comes from the latest analysis, else from an
      imported label map. Default quality medium. FILE may be a folder.
  deidentify <scan-id|study-id>|--folder F --out D [--retain-dates|--shift-dates] [--retain-uids]
             [--retain-patient-characteristics] [--include-results] [--allow-burned-in] [--json]
      Write the scan's series, or every DICOM series of the study, de-identified
      (DICOM PS3.15 Annex E basic profile) into folder D: S001-IM0001.dcm, ...
      Patient name and ID become a pseudonym kept on this machine; UIDs are replaced
      the same way in every export. --retain-dates keeps dates, --shift-dates moves
      them by a fixed offset per patient; --retain-uids keeps UIDs;
      --retain-patient-characteristics keeps age, sex, size, weight. --include-results
      adds each scan's analysis mask as a SEG (S001-SEG.dcm). Images that may show
      text in their pixels (burned-in annotation, secondary captures, ultrasound) are
      refused unless --allow-burned-in, after you checked them.
      --folder F instead of an id de-identifies the DICOM files of folder F (paths
      kept; DICOMDIR and other files left out) without importing them.
  patients list [--search T] [--page N] [--limit N] [--json]
      List patients.
  users add --username U --role R --password-stdin [--display-name N] [--patient ID]
      Create an account; the password is read from stdin. R: admin, radiologist,
      technologist, viewer, annotator, student, demo, patient, doctor (also
      superuser, standard). A patient account needs --patient, its patient record;
      a doctor sees only the patients assigned to them.
  users list [--json]
      List accounts with role, status (disabled, locked) and last login.
  users set <username> [--role R] [--patient ID] [--disable|--enable] [--unlock] [--password-stdin]
      Change an account: role, patient link, disable or enable, unlock after
      failed logins, or a new password read from stdin.
  jobs list [--status S] [--page N] [--limit N] [--json]
      List jobs, newest first. S: pending, processing, completed, failed, cancelled.
  backup <dir> [--json]
      Copy the data folder into the new or empty folder <dir> while the app keeps
      running: the database (SQLite online backup) and every stored file, with the
      sha256 of each in manifest.json (written last). Ctrl-C cancels.
  restore <dir> [--json]
      Verify every file of the backup <dir> against its manifest, then replace the
      data folder with it; the replaced folder is kept beside it. Stop the app first.
      An encrypted backup is unlocked with this data folder's key; on another machine
      add --recovery-key-stdin and give the recovery key on stdin.
  update verify <bundle> [--json]
      Check an offline update bundle: the release key's signature, the installer's
      sha256, and that it is newer than this app. Installs nothing.
  update apply <bundle> [--json]
      Verify the bundle, stage its installer in the data folder and print the
      command that installs it (with administrator rights).
  update pack <installer> --key K --out D [--release V]
      Release side: sign <installer> with the Ed25519 private key K (PEM) into the
      bundle folder D; V defaults to this build's version.
  dicom echo|find|move|send|listen
      The DICOM node. PACS: a destination's id (Settings) or AE@host:port.
        dicom echo PACS                      test the connection (C-ECHO)
        dicom find PACS [--patient-id P] [--name N] [--date YYYYMMDD[-YYYYMMDD]] [--modality MR] [--accession A] [--json]
                                             find studies (C-FIND)
        dicom move PACS STUDY-UID [--json]   pull a study into this workstation (C-MOVE
                                             to our AE title; the PACS must know it)
        dicom send PACS <paths...>|--scan ID send DICOM files or a scan (C-STORE)
        dicom listen                         receive from modalities until Ctrl-C
      --ae A and --port N override our AE title and listening port for this run.
  dicomweb search|retrieve --destination ID
      DICOMweb of a PACS destination with a DICOMweb URL (docs/dicomweb.md).
        dicomweb search --destination ID [--patient-id P] [--name N] [--date YYYYMMDD[-YYYYMMDD]] [--modality MR] [--json]
                                             find studies (QIDO-RS)
        dicomweb retrieve --destination ID --study UID [--series UID] [--json]
                                             pull a study or one series (WADO-RS) into
                                             this workstation; progress on stderr,
                                             Ctrl-C cancels (what arrived is kept)
  sync status|run|pause|resume [--json]
      The outbox sync to PACS destinations (docs/sync.md).
        sync status                          destinations online/offline, items waiting,
                                             last success and last error
        sync run [--timeout S]               send everything waiting now; waits out a
                                             PACS that does not answer up to S seconds (300)
        sync pause | sync resume             stop or restart sending (a running app too)
  audit verify [--json]
      Check the audit trail's keyed hash chain; list every broken link, rows
      deleted from the end included. Exit status 1 when it is broken.
  encryption status [--confirm-recovery-key] [--json]
      Whether the data folder is encrypted at rest, where its key is kept, and the
      recovery key until it is confirmed as written down (docs/encryption.md).
  encryption enable
      Encrypt an existing plain data folder (the app and serve stopped): an encrypted
      copy is built and swapped in; the plain folder is kept aside for you to delete.
  encryption recover
      Read the recovery key on stdin and store a new key in the OS keychain (or in
      NEUROSPHERE_DATA_KEY_FILE): when the keychain was lost or the folder moved.
  serve [--host H] [--port N] [--no-auto-analyse] [--tls-cert F --tls-key F]
        [--rate-limit N] [--cors-origin O]... [--max-upload-mb N]
      Serve the app, the API and events over HTTP (default 127.0.0.1:7878).
      Every imported scan is analysed automatically unless --no-auto-analyse.
      --tls-cert/--tls-key (PEM files) serve HTTPS, for use beyond loopback.
      The REST API (docs/rest-api.md) allows N requests a minute per user (default 100),
      web pages only from the --cors-origin origins, uploads up to --max-upload-mb (default 50).
      Jobs interrupted by a crash are resumed when serve, import, analyze or the app starts.
      Starts the DICOM listener when it is enabled in Settings.

Options for every command:
  --data-dir D    Data folder (default: $NEUROSPHERE_DATA_DIR, else the OS's app data folder)
  --help, -h      Show this help
  --version, -v   Show the version

Environment:
  NEUROSPHERE_DATA_DIR     Data folder (as --data-dir)
  NEUROSPHERE_MODELS_DIR   Folder of AI models (default: the app's models/ folder)
  NEUROSPHERE_DEBUG=1      Show the details of unexpected errors
  NEUROSPHERE_AUDIT_KEY_FILE  Keep the audit key in this file (0600, outside the data
                           folder) instead of the OS keychain (docs/audit.md)
  NEUROSPHERE_DATA_KEY_FILE   Keep the key of an encrypted data folder in this file
                           (0600, outside the data folder) instead of the OS keychain
  NEUROSPHERE_ENCRYPTION=off  Create new data folders unencrypted (default: on)

Exit status: 0 done, 1 failed, 2 usage error, 130 interrupted (Ctrl-C).
`;
