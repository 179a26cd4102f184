import { sql, type Kysely, type Migration } from 'kysely';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export const images: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Tags an image had until they moved to another image ("was nginx:latest").
    await db.schema
      .createTable('image_previous_tags')
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('image_id', 'text', (c) => c.notNull())
      .addColumn('tag', 'text', (c) => c.notNull())
      .addColumn('moved_at', 'text', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('image_previous_tags_pk', ['host_id', 'image_id', 'tag'])
      .execute();

    await db.schema
      .createTable('registries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull().unique())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('insecure', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(now))
      .execute();

    await db.schema
      .createTable('image_update_checks')
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('image', 'text', (c) => c.notNull())
      .addColumn('local_digest', 'text')
      .addColumn('remote_digest', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('checked_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('image_update_checks_pk', ['host_id', 'image'])
      .execute();

    await db.schema
      .createTable('container_updates')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('container_name', 'text', (c) => c.notNull())
      .addColumn('old_container_id', 'text', (c) => c.notNull())
      .addColumn('new_container_id', 'text')
      .addColumn('old_image', 'text', (c) => c.notNull())
      .addColumn('old_image_id', 'text', (c) => c.notNull())
      .addColumn('old_digest', 'text')
      .addColumn('new_image', 'text', (c) => c.notNull())
      .addColumn('new_image_id', 'text')
      .addColumn('new_digest', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('message', 'text')
      .addColumn('username', 'text')
      .addColumn('at', 'text', (c) => c.notNull().defaultTo(now))
      .execute();
    await db.schema
      .createIndex('container_updates_name')
      .on('container_updates')
      .columns(['host_id', 'container_name'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of [
      'container_updates',
      'image_update_checks',
      'registries',
      'image_previous_tags',
    ]) {
      await db.schema.dropTable(t).execute();
    }
  },
};
