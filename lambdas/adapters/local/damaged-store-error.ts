import { DropletSchedulerError } from '../../core/errors/droplet-scheduler-error';

/**
 * A file of the local store cannot be read (a disk filled up, a copy cut short): a runtime failure
 * that names the file, and that leaves every file as it was found.
 */
export class DamagedStoreError extends DropletSchedulerError {
  override readonly name = 'DamagedStoreError' as const;
  /** The damaged file. */
  readonly file: string;

  constructor(file: string, detail: string, storeDir: string) {
    super(
      'store_damaged',
      `the local store is damaged: ${file} cannot be read (${detail}); nothing in ${storeDir} was changed: ` +
        `restore it from a backup, or move it aside to start a new, empty ledger`,
    );
    this.file = file;
  }
}
