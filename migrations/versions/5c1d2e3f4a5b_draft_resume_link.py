"""draft resume link: the hash of a resident's "come back later" token

Revision ID: 5c1d2e3f4a5b
Revises: 3f1c2a9d7e41
Create Date: 2026-12-01 17:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5c1d2e3f4a5b'
down_revision = '3f1c2a9d7e41'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resume_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_draft_resume_token_hash'), ['resume_token_hash'])


def downgrade():
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_draft_resume_token_hash'), type_='unique')
        batch_op.drop_column('resume_token_hash')
