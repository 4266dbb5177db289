"""The organizations of 东辽县 (Dongliao County, 辽源市, 吉林省) as described in its 2024
rule-of-law government report (seeds/000_0de46bf810b39418.txt).

Township names are the county's real ones. Which department owns which entrusted team,
and which two bodies are 法律法规授权组织, are demo assumptions: the report gives only
the counts (39 statutory, 13 entrusted, 2 authorized).
"""

from __future__ import annotations

from fazhi.core.choices import EnforcementBasis, OrgKind

COUNTY = ("dongliao", "东辽县人民政府")

# (code, name, kind). 26 departments: each sets up a 行政执法监督科 (report §(四)一).
DEPARTMENTS: list[tuple[str, str, str]] = [
    ("sfj", "东辽县司法局", OrgKind.JUSTICE_BUREAU),
    ("gaj", "东辽县公安局", OrgKind.PUBLIC_SECURITY),
    ("scjgj", "东辽县市场监督管理局", OrgKind.DEPARTMENT),
    ("zrzyj", "东辽县自然资源局", OrgKind.DEPARTMENT),
    ("sthjfj", "辽源市生态环境局东辽县分局", OrgKind.DEPARTMENT),
    ("zjj", "东辽县住房和城乡建设局", OrgKind.DEPARTMENT),
    ("jtysj", "东辽县交通运输局", OrgKind.DEPARTMENT),
    ("nyncj", "东辽县农业农村局", OrgKind.DEPARTMENT),
    ("slj", "东辽县水利局", OrgKind.DEPARTMENT),
    ("whlyj", "东辽县文化广播电视和旅游局", OrgKind.DEPARTMENT),
    ("wsjkj", "东辽县卫生健康局", OrgKind.DEPARTMENT),
    ("yjglj", "东辽县应急管理局", OrgKind.DEPARTMENT),
    ("lyj", "东辽县林业局", OrgKind.DEPARTMENT),
    ("jyj", "东辽县教育局", OrgKind.DEPARTMENT),
    ("mzj", "东辽县民政局", OrgKind.DEPARTMENT),
    ("rsj", "东辽县人力资源和社会保障局", OrgKind.DEPARTMENT),
    ("czj", "东辽县财政局", OrgKind.DEPARTMENT),
    ("sjj", "东辽县审计局", OrgKind.DEPARTMENT),
    ("tjj", "东辽县统计局", OrgKind.DEPARTMENT),
    ("swj", "东辽县商务局", OrgKind.DEPARTMENT),
    ("fgj", "东辽县发展和改革局", OrgKind.DEPARTMENT),
    ("gxj", "东辽县工业和信息化局", OrgKind.DEPARTMENT),
    ("ybj", "东辽县医疗保障局", OrgKind.DEPARTMENT),
    ("cgj", "东辽县城市管理行政执法局", OrgKind.DEPARTMENT),
    ("tyjrj", "东辽县退役军人事务局", OrgKind.DEPARTMENT),
    ("rfb", "东辽县人民防空办公室", OrgKind.DEPARTMENT),
]

# The 13 townships, real names: each sets up an enforcement-supervision group.
TOWNSHIPS: list[tuple[str, str]] = [
    ("baiquan", "白泉镇人民政府"),
    ("weijin", "渭津镇人民政府"),
    ("anshi", "安石镇人民政府"),
    ("liaoheyuan", "辽河源镇人民政府"),
    ("quantai", "泉太镇人民政府"),
    ("jianan", "建安镇人民政府"),
    ("anshu", "安恕镇人民政府"),
    ("pinggang", "平岗镇人民政府"),
    ("yunding", "云顶镇人民政府"),
    ("lingyun", "凌云乡人民政府"),
    ("jiashan", "甲山乡人民政府"),
    ("zumin", "足民乡人民政府"),
    ("jinzhou", "金州乡人民政府"),
]

# (code, name, parent department code, basis): 13 entrusted, 2 authorized.
ENFORCEMENT_UNITS: list[tuple[str, str, str, str]] = [
    ("scjgj-zfdd", "东辽县市场监管综合行政执法大队", "scjgj", EnforcementBasis.ENTRUSTED),
    ("whlyj-zfdd", "东辽县文化市场综合行政执法大队", "whlyj", EnforcementBasis.ENTRUSTED),
    ("jtysj-zfdd", "东辽县交通运输综合行政执法大队", "jtysj", EnforcementBasis.ENTRUSTED),
    ("nyncj-zfdd", "东辽县农业综合行政执法大队", "nyncj", EnforcementBasis.ENTRUSTED),
    ("sthjfj-zfdd", "东辽县生态环境保护综合行政执法大队", "sthjfj", EnforcementBasis.ENTRUSTED),
    ("yjglj-zfdd", "东辽县应急管理综合行政执法大队", "yjglj", EnforcementBasis.ENTRUSTED),
    ("wsjkj-jds", "东辽县卫生健康综合监督执法所", "wsjkj", EnforcementBasis.ENTRUSTED),
    ("rsj-ldjc", "东辽县劳动保障监察大队", "rsj", EnforcementBasis.ENTRUSTED),
    ("zrzyj-jcdd", "东辽县自然资源执法监察大队", "zrzyj", EnforcementBasis.ENTRUSTED),
    ("slj-szjc", "东辽县水政监察大队", "slj", EnforcementBasis.ENTRUSTED),
    ("lyj-zfdd", "东辽县林业综合行政执法大队", "lyj", EnforcementBasis.ENTRUSTED),
    ("cgj-zfdd", "东辽县城市管理综合执法大队", "cgj", EnforcementBasis.ENTRUSTED),
    ("zjj-zfdd", "东辽县住房和城乡建设综合执法大队", "zjj", EnforcementBasis.ENTRUSTED),
    ("gjj-dl", "辽源市住房公积金管理中心东辽县管理部", "czj", EnforcementBasis.AUTHORIZED),
    ("sbj", "东辽县社会保险事业管理局", "rsj", EnforcementBasis.AUTHORIZED),
]

# Bodies outside the government that the platform records (report §(二)三).
EXTERNAL_BODIES: list[tuple[str, str, str]] = [
    ("fy", "东辽县人民法院", OrgKind.COURT),
    ("jcy", "东辽县人民检察院", OrgKind.PROCURATORATE),
    ("zwfw", "东辽县政务服务中心", OrgKind.GOVSERVICE_CENTER),
]

# 81 enforcement supervisors (report §(四)一): 2 in each department's section, 2 in each
# township's group, and 3 more at 司法局 who supervise the whole county.
SUPERVISORS_PER_UNIT = 2
COUNTY_SUPERVISORS = 3
