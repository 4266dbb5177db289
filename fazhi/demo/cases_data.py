"""Static data of the demo county's 2024 penalty cases (issue 4 §11).

The seed report gives only totals: “我县各部门共办理行政处罚案件424件，其中适用包容审慎监管执法
‘四张清单’案件86件，适用率为20.3%，减免金额为79.97万元” and “县公安局受理行政案件309件，结案率
100%”. How the cases spread over bodies and items, the parties and the facts below are demo
assumptions, written to read like the county's real files: no party is a real person or firm.

Tables are pipe-separated, one scenario a line, like :mod:`fazhi.demo.catalog_data`.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Who handles the cases ------------------------------------------------------------------

# (handling organization, approving department, cases decided in 2024, of which lenient).
# Entrusted units (执法大队) do the casework of their departments: the catalog gives them the
# officers. A township handles the county items delegated to it (行政处罚法 第二十四条).
PENALTY_ORGS: tuple[tuple[str, str, int, int], ...] = (
    ("scjgj-zfdd", "scjgj", 120, 26),
    ("jtysj-zfdd", "jtysj", 50, 9),
    ("sthjfj-zfdd", "sthjfj", 28, 7),
    ("yjglj-zfdd", "yjglj", 30, 8),
    ("nyncj-zfdd", "nyncj", 24, 6),
    ("cgj-zfdd", "cgj", 30, 6),
    ("wsjkj-jds", "wsjkj", 22, 5),
    ("whlyj-zfdd", "whlyj", 12, 3),
    ("zrzyj-jcdd", "zrzyj", 10, 0),
    ("zjj-zfdd", "zjj", 15, 4),
    ("lyj-zfdd", "lyj", 13, 3),
    ("slj-szjc", "slj", 7, 2),
    ("rsj-ldjc", "rsj", 6, 1),
    ("ybj", "ybj", 5, 2),
    ("swj", "swj", 1, 0),
    ("rfb", "rfb", 2, 1),
    ("fgj", "fgj", 1, 0),
    ("mzj", "mzj", 1, 0),
)
# Cases per township (13 townships, 47 cases, 3 of them lenient: 秸秆焚烧 corrected at once).
TOWNSHIP_CASES = 47
TOWNSHIP_LENIENT = 3

# The four kinds of lenient case and how often each occurs among the 86.
LENIENT_KINDS: tuple[tuple[str, int], ...] = (
    ("no_penalty", 24),  # 不予处罚事项清单: 没有危害后果、及时改正
    ("first_violation", 14),  # 首违不罚事项清单: 初次违法、危害后果轻微、及时改正
    ("reduced", 26),  # 减轻处罚事项清单
    ("lighter", 22),  # 从轻处罚事项清单
)

# 公安局: 309 cases received in 2024 (police.admin_cases), all concluded.
POLICE_SUMMARY = 205
POLICE_ORDINARY = 97
POLICE_DECLINED = 4
POLICE_TRANSFERRED = 3

# Realism beyond the counted figures (they never count in penalty.cases for 2024).
DECLINED_LEADS = 3  # 不予立案: the complaint did not hold
TRANSFERRED_TO_POLICE = 1  # 涉嫌犯罪，移送公安机关
DECIDED_NEXT_YEAR = 5  # received in December, decided in January 2025

# --- Parties --------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TRADE_NAMES = _words(
    "鑫源 宏达 兴隆 恒泰 金诚 福顺 顺发 永盛 德丰 利民 华众 佳禾 东盛 辽丰 瑞祥 通达 广源 众鑫 "
    "天成 盛安 鸿运 富民 嘉禾 聚福 昌盛 宏远 康源 新农 丰泽 润禾 安泰 益民 百顺 家和 旺达 "
    "金鼎 泰和 恒信 荣达 晟丰 福泽 兴旺 禾丰 祥瑞 宏兴 德顺 金穗 源丰 汇通 中泰"
)
VILLAGES = _words(
    "光明 和平 新兴 永安 太平 东升 红旗 胜利 长青 民主 前进 富强 双山 三合 五星 向阳 安乐 "
    "靠山 河东 北岭"
)
STREETS = _words("建设街 人民街 站前路 新华路 兴业路 工农路 民主街 繁荣街 东辽大街 育才路")
PHONE_PREFIXES = _words(
    "130 131 132 135 136 137 138 139 150 151 152 155 157 158 159 177 186 187 188 189"
)

# --- Scenarios -------------------------------------------------------------------------------
#
# org|key|weight|parties|on_spot|amount|months|detail
#
# org: the department owning the item (or "township" for township cases of delegated items);
# key: the base item of fazhi.demo.catalog_data; weight: how often it is chosen;
# parties: who commits it — a name ending in 公司 is a company (统一社会信用代码 91…), 个人 a
# citizen (居民身份证), anything else a 个体工商户 (92…) of that trade;
# on_spot: W warning or F small fine may be decided on the spot (第五十一条), "" never;
# amount: for fines in multiples, the range of the base amount in yuan (货值金额、违法所得……);
# months: when such acts happen (秸秆焚烧 in spring and autumn, 森林防火期 …), "" all year;
# detail: what the officers found, after “当事人”.
_SCENARIOS = """
scjgj|food_purchase_check|10|超市,食杂店,生鲜超市,便利店,商贸有限公司||||未建立食品进货查验记录制度，无法提供所售散装食品供货者的许可证和产品合格证明文件
scjgj|food_health_cert|8|饭店,面馆,烧烤店,快餐店,餐饮管理有限公司||||安排两名未取得健康证明的人员从事接触直接入口食品的工作
scjgj|food_expired|7|超市,食杂店,便利店,商贸有限公司||||在经营场所货架上陈列销售超过保质期的预包装食品（饮料、糕点）十二件
scjgj|food_no_label|4|粮油店,食品加工坊,食品有限公司||||销售无标签的预包装食品（分装挂面、粉条），无法说明生产者和生产日期
scjgj|food_label_flaw|3|食品有限公司,粮油加工有限公司||||生产的预包装食品标签营养成分表标示不规范，经责令改正后仍未改正
scjgj|food_storage|3|冷饮批发部,生鲜超市,商贸有限公司||||未按标签标示的温度贮存需冷藏的乳制品和熟肉制品
scjgj|food_unlicensed|3|熟食店,小吃店,个人||||未取得食品经营许可证，在经营场所制售熟食
scjgj|unlicensed_business|7|废品收购站,农资门市,家具店,个人|F|||未取得营业执照，以营利为目的从事经营活动
scjgj|price_tag|10|超市,药店,加油站,宾馆,停车场,商贸有限公司|F|||销售的商品和提供的服务未按规定明码标价，部分商品未标示价格，价签内容不全
scjgj|annual_report|5|商贸有限公司,建材有限公司,农业科技有限公司,物流有限公司|F||7-12|未按规定期限公示上一年度报告
scjgj|change_registration|3|商贸有限公司,建筑工程有限公司,物业服务有限公司||||住所变更后未依法办理变更登记，继续在新住所从事经营活动
scjgj|se_registration|3|物业服务有限公司,房地产开发有限公司,商贸有限公司||||使用的电梯未按照规定办理特种设备使用登记
scjgj|se_uninspected|2|热力有限公司,食品有限公司,木业有限公司||||使用超过定期检验有效期、未经定期检验的承压锅炉
scjgj|se_operator|1|物流有限公司,建材有限公司||||叉车作业人员未取得特种设备作业人员证即上岗作业
scjgj|product_marking|2|建材商店,家电商店,商贸有限公司||2000-20000||销售的产品无中文标明的产品名称、生产厂厂名和厂址，产品标识不符合规定
scjgj|product_unsafe|1|电料商店,商贸有限公司||3000-30000||销售不符合强制性国家标准的电线电缆
scjgj|ecommerce_licence_info|2|网店,电子商务有限公司|F|||未在其网店首页显著位置持续公示营业执照信息
scjgj|trademark|1|烟酒商店,食杂店||||销售侵犯注册商标专用权的白酒六箱
scjgj|drug_gsp|1|大药房有限公司,医药连锁有限公司||||未遵守药品经营质量管理规范，药品未按规定分区存放，温湿度监测记录缺失
scjgj|unregistered|2|个人||||未经设立登记，以公司名义对外签订合同从事经营活动
jtysj|overload|14|物流有限公司,运输有限公司,个人||||驾驶（所属）货车在公路上擅自超限行驶，经称重检测车货总重超过限定标准
jtysj|road_pollution|6|物流有限公司,建筑工程有限公司,个人|F||4-11|所属运输车辆在公路上遗撒泥土砂石，造成公路路面污染
jtysj|load_spill|6|运输有限公司,砂石经销处,个人|||4-11|运输车辆装载物掉落、遗洒，造成公路路面损坏、污染
jtysj|road_occupation|4|建材商店,农资门市,个人|||4-11|擅自在公路上堆放建筑材料和农作物秸秆，占用公路
jtysj|road_signs|3|农家乐,加油站,商贸有限公司||||在公路用地范围内擅自设置广告牌
jtysj|road_control_zone|3|个人,商贸有限公司|||4-10|在公路建筑控制区内擅自修建彩钢板房
jtysj|road_facility_damage|2|建筑工程有限公司,个人||||施工作业中损坏、移动公路里程碑和百米桩
jtysj|road_damage_unreported|2|运输有限公司,个人||||驾驶车辆撞损公路护栏后未向公路管理机构报告
jtysj|road_tracked_vehicle|2|个人,农机专业合作社|||4-11|驾驶履带式挖掘机擅自在公路上行驶，损坏路面
jtysj|overload_instructed|1|砂石有限公司,建材有限公司||||指使车辆驾驶人超限运输砂石
cgj|outdoor_bbq|7|烧烤店,个人|||5-9|在城区禁止露天烧烤的区域内露天烧烤食品
cgj|cooking_fume|6|饭店,烧烤店,火锅店,餐饮管理有限公司||||未安装油烟净化设施，油烟超标直排
cgj|road_occupation_terms|5|建筑工程有限公司,市政工程有限公司,饭店||||未按照批准的位置、面积、期限占用城市道路
cgj|construction_waste_spill|4|运输有限公司,土石方工程有限公司|||4-11|运输建筑垃圾过程中沿途遗撒
cgj|construction_waste_dump|3|建筑工程有限公司,装饰工程有限公司||||随意倾倒建筑垃圾
cgj|road_site_signs|2|市政工程有限公司,通信工程有限公司|||4-11|在城市道路施工现场未设置明显标志和安全防围设施
cgj|construction_waste_mixed|2|物业服务有限公司,装饰工程有限公司|F|||将建筑垃圾混入生活垃圾
cgj|construction_waste_unapproved|1|建筑工程有限公司|||4-11|未经核准擅自处置建筑垃圾
sthjfj|dust_material|6|建材有限公司,砂石有限公司,混凝土有限公司|||4-11|露天堆放砂土、煤灰等易产生扬尘的物料，未采取密闭或者覆盖措施
sthjfj|voc|4|汽车修理厂,家具有限公司,包装有限公司||||喷漆作业未在密闭空间中进行，含挥发性有机物废气无组织排放
sthjfj|air_monitoring|3|化工有限公司,铸造有限公司,建材有限公司||||未按照规定对所排放的工业废气进行监测并保存原始监测记录
sthjfj|air_excess|2|热力有限公司,建材有限公司||||锅炉烟气颗粒物排放浓度超过大气污染物排放标准
sthjfj|outfall|2|食品有限公司,养殖有限公司||||未经批准擅自设置排污口向河道排放废水
sthjfj|eia|2|农业发展有限公司,建材有限公司,新能源有限公司||800000-3000000|4-11|建设项目未依法报批环境影响评价文件即擅自开工建设
sthjfj|straw_burning|4|个人|||3-5,10-11|在农田内露天焚烧玉米秸秆
yjglj|safety_training|6|木业有限公司,机械制造有限公司,建材有限公司,食品有限公司||||未按照规定对从业人员进行安全生产教育和培训，部分员工未经培训即上岗作业
yjglj|emergency_plan|5|化工有限公司,加油站,商贸有限公司||||未按照规定制定生产安全事故应急救援预案，未定期组织应急演练
yjglj|warning_signs|4|木业有限公司,粮食储备有限公司,建材有限公司||||未在有较大危险因素的有限空间作业场所设置明显的安全警示标志
yjglj|hazard_not_eliminated|4|机械制造有限公司,铸造有限公司,木业有限公司||||对检查发现的事故隐患未采取措施予以消除
yjglj|equipment_maintenance|3|化工有限公司,加油站,食品有限公司||||未对可燃气体报警装置等安全设备进行经常性维护、保养和定期检测
yjglj|evacuation_exit|3|商贸有限公司,宾馆,超市||||员工宿舍未设有符合紧急疏散需要的出口，疏散通道堆放杂物
yjglj|protective_equipment|2|铸造有限公司,建材有限公司||||未为从业人员提供符合国家标准的劳动防护用品
yjglj|special_operator|2|建筑工程有限公司,机械制造有限公司||||安排未取得特种作业操作证的人员从事电焊作业
yjglj|safety_staff|2|物流有限公司,化工有限公司||||未按照规定配备专职安全生产管理人员
yjglj|fireworks_unlicensed|3|食杂店,个人|||1-2|未取得烟花爆竹经营（零售）许可证，在经营场所销售烟花爆竹
nyncj|pesticide_ledger|6|农资门市,农资有限公司|||3-7|不执行农药采购台账、销售台账制度，未如实记录所售农药的名称、数量和购买人
nyncj|pesticide_unlicensed|4|农资门市,个人|||3-7|未取得农药经营许可证经营农药
nyncj|seed_unlicensed|3|种子经销处,农资门市|||3-5|未取得种子生产经营许可证销售玉米种子
nyncj|seed_package|3|种子经销处,农资门市|||3-5|销售应当包装而未包装的水稻种子
nyncj|pesticide_inferior|2|农资门市,农资有限公司|||3-7|经营经检验有效成分含量不合格的劣质农药
nyncj|electric_fishing|5|个人|||5-9|在河道内使用电鱼器具捕捞，破坏渔业资源
wsjkj|public_place_health_cert|6|理发店,浴池,宾馆,美容店||||安排未获得有效健康合格证明的从业人员从事直接为顾客服务的工作
wsjkj|public_place_permit|5|宾馆,浴池,足疗店,美容店||||未依法取得公共场所卫生许可证擅自营业
wsjkj|public_place_testing|4|宾馆,游泳馆,浴池|W|||未按照规定对公共场所的空气、水质、顾客用品用具进行卫生检测
wsjkj|public_place_disinfection|4|理发店,宾馆,足疗店|W|||未按照规定对顾客用品用具进行清洗、消毒，重复使用一次性用品用具
wsjkj|non_physician|2|个人||10000-10000||未取得医师资格，在家中为他人诊疗疾病并收取费用（违法所得不足一万元，按一万元计算）
whlyj|cafe_minors|4|网吧|||1-2,7-8|接纳未成年人进入互联网上网服务营业场所
whlyj|cafe_hours|2|网吧|W|||在规定的营业时间以外营业
whlyj|cafe_signs|2|网吧|W|||未在营业场所显著位置悬挂未成年人禁入标志
whlyj|guide_unlicensed|2|个人|||5-10|未取得导游证，在旅游景区从事有偿导游活动
whlyj|unlicensed_guide_used|1|旅行社有限公司|||5-10|安排未取得导游证的人员为旅游团提供导游服务
whlyj|travel_agency_unlicensed|1|文化旅游有限公司,个人|||5-10|未经许可组织游客出游，经营旅行社业务
zrzyj|planning_permit|4|置业有限公司,农业发展有限公司||500000-2000000||未取得建设工程规划许可证进行建设
zrzyj|temporary_building|3|建筑工程有限公司,个人||50000-300000|4-10|未经批准在城区进行临时建设
zrzyj|temporary_overdue|3|商贸有限公司,个人||50000-200000||临时建筑物超过批准期限不拆除
zjj|site_dust|6|建筑工程有限公司,市政工程有限公司|||4-11|施工工地未设置硬质围挡，裸露土方未覆盖
zjj|no_construction_permit|4|置业有限公司,房地产开发有限公司||1500000-6000000|4-10|未取得施工许可证擅自施工
zjj|no_completion_acceptance|2|房地产开发有限公司||2000000-5000000||未组织竣工验收擅自将工程交付使用
zjj|sewage_unpermitted|2|洗车场,食品有限公司,宾馆||||未取得污水排入排水管网许可证向城镇排水设施排放污水
zjj|material_untested|1|建筑工程有限公司||||未对进场的商品混凝土进行检验
lyj|wildfire_use|5|个人|W||3-6,9-11|在森林防火期内未经批准擅自在森林防火区内上坟烧纸
lyj|excess_logging|3|个人||3000-20000|1-4,10-12|未取得林木采伐许可证擅自采伐自家承包林地内的杨树，构成滥伐林木
lyj|forest_damage|2|个人,砂石有限公司||5000-30000|4-10|在林地上擅自采砂，造成林木毁坏
lyj|forest_land_use|2|个人,农业发展有限公司||20000-80000|4-10|未经审核同意擅自改变林地用途修建看护房
lyj|wildfire_use_unit|1|建筑工程有限公司,农业发展有限公司|||3-6,9-11|在森林防火期内未经批准在森林防火区内焚烧杂草
slj|water_unpermitted|3|洗车场,食品有限公司,养殖有限公司||||未经批准擅自打井取用地下水
slj|water_permit_terms|2|热力有限公司,食品有限公司||||未依照取水许可规定的条件取水，超许可水量取水
slj|river_obstruction|2|砂石有限公司,个人|||4-10|在河道管理范围内堆放砂石，妨碍河道行洪
rsj|insurance_registration|3|商贸有限公司,餐饮管理有限公司,物业服务有限公司||10000-60000||用工后未依法办理社会保险登记
rsj|unlicensed_agency|2|个人,信息咨询服务部||||未经许可擅自从事职业中介活动
rsj|insurance_arrears|1|建筑工程有限公司||20000-80000||未按时足额缴纳社会保险费，经责令限期缴纳逾期仍不缴纳
ybj|internal_control|2|大药房,诊所,民营医院有限公司||||未建立医疗保障基金使用内部管理制度，没有专人负责医疗保障基金使用管理工作
ybj|overcharge|2|民营医院有限公司,诊所||5000-40000||重复收费、超标准收费，造成医疗保障基金损失
ybj|split_hospitalization|1|民营医院有限公司||10000-50000||分解住院，造成医疗保障基金损失
swj|scrap_vehicle_unlicensed|1|废旧物资回收站,个人||||未取得资质认定擅自从事报废机动车回收拆解活动
rfb|shelter_encroach|1|物业服务有限公司,商贸有限公司||||侵占人民防空工程堆放杂物并用于经营
rfb|no_shelter|1|房地产开发有限公司||||新建民用建筑未按照规定修建战时可用于防空的地下室
fgj|bid_restriction|1|建设投资有限公司||||在招标文件中以不合理的条件限制、排斥潜在投标人
mzj|superstitious_goods|1|殡葬用品商店||3000-10000||销售纸人、纸马等封建迷信殡葬用品
township|straw_burning|10|个人|||3-5,10-11|在农田内露天焚烧玉米秸秆
township|road_occupation|3|个人,建材商店|||4-11|擅自在公路上堆放建筑材料和农作物秸秆，占用公路
township|road_pollution|2|个人,运输有限公司|||4-11|运输车辆在公路上遗撒泥土，造成公路路面污染
township|electric_fishing|2|个人|||5-9|在河道内使用电鱼器具捕捞，破坏渔业资源
township|wildfire_use|2|个人|W||3-6,9-11|在森林防火期内未经批准擅自在森林防火区内上坟烧纸
township|road_signs|1|农家乐,个人||||在公路用地范围内擅自设置广告牌
gaj|signal_violation|40|个人|F|||驾驶机动车不按交通信号灯指示通行
gaj|seat_belt|30|个人|F|||驾驶机动车未按规定使用安全带
gaj|phone_driving|30|个人|F|||驾驶机动车时拨打接听手持电话
gaj|illegal_parking|25|个人|F|||违反规定停放机动车，驾驶人不在现场，妨碍其他车辆、行人通行
gaj|wrong_way|15|个人|F|||驾驶机动车逆向行驶
gaj|pedestrian_yield|15|个人|F|||驾驶机动车行经人行横道未按规定减速、停车、避让行人
gaj|illegal_overtake|10|个人|F|||驾驶机动车违反规定超车
gaj|nonmotor_rules|25|个人|W|||驾驶电动自行车闯红灯、逆行
gaj|truck_overload|10|个人|F|||驾驶货运机动车超过核定载质量
gaj|disturb_unit|5|个人|W|||在乡政府办公场所大声吵闹，扰乱机关工作秩序
gaj|beating|20|个人||||因琐事与他人发生口角后殴打他人，致他人轻微伤
gaj|theft|15|个人||||在超市内盗窃商品，价值数百元
gaj|gambling|15|个人||||以打麻将方式参与赌博，赌资较大
gaj|provocation|8|个人||||酒后在饭店内寻衅滋事，随意殴打他人
gaj|insult_threat|6|个人||||通过微信群公然侮辱他人
gaj|drug_use|5|个人||||吸食毒品（经尿液检测呈阳性）
gaj|controlled_knife|6|个人||||非法携带管制刀具
gaj|drunk_driving|12|个人||||饮酒后驾驶机动车（血液酒精含量未达到醉酒标准）
gaj|no_licence_driving|6|个人||||未取得机动车驾驶证驾驶机动车
gaj|id_card_misuse|2|个人||||冒用他人居民身份证办理业务
gaj|hotel_registration|2|宾馆,旅店||||对住宿的旅客不按规定登记身份证件种类和号码
"""


@dataclass(frozen=True)
class Scenario:
    """One kind of case: an item, who commits it and what the officers found."""

    org: str
    key: str
    weight: int
    businesses: tuple[str, ...]
    on_spot: str  # "W", "F" or ""
    amount: tuple[int, int] | None
    months: tuple[int, ...]  # the months acts of this kind happen in
    detail: str

    @property
    def police(self) -> bool:
        return self.org == "gaj"


def _months(text: str) -> tuple[int, ...]:
    if not text:
        return tuple(range(1, 13))
    months: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        months.extend(range(int(first), int(last or first) + 1))
    return tuple(months)


def _scenarios() -> tuple[Scenario, ...]:
    rows: list[Scenario] = []
    for line in _SCENARIOS.strip().splitlines():
        org, key, weight, businesses, on_spot, amount, months, detail = line.split("|")
        low, _, high = amount.partition("-")
        rows.append(
            Scenario(
                org=org,
                key=key,
                weight=int(weight),
                businesses=tuple(businesses.split(",")),
                on_spot=on_spot,
                amount=(int(low), int(high)) if amount else None,
                months=_months(months),
                detail=detail,
            )
        )
    return tuple(rows)


SCENARIOS: tuple[Scenario, ...] = _scenarios()

# What the party said, for cases where it made a statement (第四十五条).
STATEMENTS = (
    "当事人表示对违法事实无异议，称系对法律规定不了解所致，请求从轻处理。",
    "当事人称已认识到错误并已整改，经营困难，请求减少罚款数额。",
    "当事人对违法事实无异议，表示今后严格遵守相关规定。",
    "当事人申辩称违法行为持续时间较短，未造成严重后果。经复核，申辩理由已在裁量中考虑，不予采纳。",
)
EDUCATION_RECORDS = (
    "执法人员向当事人讲解了相关法律规定和违法行为的危害，当事人签署《包容免罚告知承诺书》，"
    "承诺今后依法经营。",
    "执法人员对当事人进行了法治宣传教育，发放《行政指导书》，指导其建立健全相关管理制度，"
    "当事人表示接受教育。",
    "执法人员对当事人进行了批评教育，当事人当场改正并作出书面承诺。",
)
