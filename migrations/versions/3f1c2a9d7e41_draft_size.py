"""drafts: stored size, and an index to find the oldest abandoned ones

Revision ID: 3f1c2a9d7e41
Revises: c4d3de7fd873
Create Date: 2026-12-01 17:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "3f1c2a9d7e41"
down_revision = "c4d3de7fd873"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("size_bytes", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index(batch_op.f("ix_draft_updated_at"), ["updated_at"], unique=False)
    # Existing drafts count at their real size from the start.
    op.execute("UPDATE draft SET size_bytes = LENGTH(CAST(answers AS TEXT))")


def downgrade():
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_updated_at"))
        batch_op.drop_column("size_bytes")
