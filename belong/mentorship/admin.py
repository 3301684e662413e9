from django.contrib import admin

from belong.mentorship.models import Program, ProgramCommitment


class ProgramCommitmentInline(admin.TabularInline):
    model = ProgramCommitment
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name"]
    inlines = [ProgramCommitmentInline]
