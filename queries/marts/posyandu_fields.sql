-- purpose: each posyandu of the register in each of the six SPM fields (ref_spm_fields): whether it serves the field, its cadres there and how many are trained (register template), beside its Kemendagri registration, whether it came after the deadline (ref_spm) and its founding decree.
-- grain: one row per posyandu_id x field
-- key: posyandu_id, field
-- slice: whole (one row per posyandu and field: small; the register also grows by hooks)
-- values: field in spm.fields
-- params: none
with by_field as (
    select *
    from posyandu_institution unpivot include nulls (
        (serves, cadres, trained) for field in (
            (serves_kesehatan, cadres_kesehatan, trained_kesehatan) as kesehatan,
            (serves_pendidikan, cadres_pendidikan, trained_pendidikan) as pendidikan,
            (serves_sosial, cadres_sosial, trained_sosial) as sosial,
            (serves_perumahan_rakyat, cadres_perumahan_rakyat, trained_perumahan_rakyat) as perumahan_rakyat,
            (serves_trantibumlinmas, cadres_trantibumlinmas, trained_trantibumlinmas) as trantibumlinmas,
            (serves_perlindungan_masyarakat, cadres_perlindungan_masyarakat, trained_perlindungan_masyarakat)
                as perlindungan_masyarakat))
)
select p.posyandu_id, p.village_code, f.field, f.field_rank,
       p.register_no is not null as registered,
       i.registered_on,
       coalesce(i.registered_on > s.registration_deadline, false) as registered_late,
       i.sk_present,
       b.serves, b.cadres, b.trained
from posyandu p
cross join ref_spm_fields f
cross join ref_spm s
left join posyandu_institution i using (posyandu_id)
left join by_field b on b.posyandu_id = p.posyandu_id and b.field = f.field
